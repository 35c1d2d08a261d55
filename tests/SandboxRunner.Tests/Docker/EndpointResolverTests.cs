using SandboxRunner.Docker;

namespace SandboxRunner.Tests.Docker;

[TestFixture]
[Category("Unit")]
public sealed class EndpointResolverTests
{
    [TestCase("unix:///var/run/docker.sock")]
    [TestCase("unix:///run/user/1000/docker.sock")]
    [TestCase("tcp://127.0.0.1:2375")]
    [TestCase("http://docker-proxy:2375")]
    public void TryParse_SupportedScheme_Succeeds(string value)
    {
        Assert.That(EndpointResolver.TryParse(value, out var uri), Is.True);
        Assert.That(uri, Is.EqualTo(new Uri(value)));
    }

    [TestCase("tcp://docker-proxy", "tcp://docker-proxy:2375")]
    [TestCase("tcp://10.0.0.1/", "tcp://10.0.0.1:2375/")]
    [TestCase("http://docker-proxy", "http://docker-proxy:80")]
    public void TryParse_NoPort_TakesTheSchemesDefault(string value, string expected)
    {
        Assert.That(EndpointResolver.TryParse(value, out var uri), Is.True);
        Assert.That((uri!.Host, uri.Port), Is.EqualTo((new Uri(expected).Host, new Uri(expected).Port)));
    }

    [TestCase("ftp://host")]
    [TestCase("https://host:2376")]
    [TestCase("unix://")]
    [TestCase("unix:///")]
    [TestCase("npipe:////./pipe/docker_engine")]
    [TestCase("relative/path")]
    [TestCase("")]
    public void TryParse_UnsupportedValue_Fails(string value)
    {
        Assert.That(EndpointResolver.TryParse(value, out var uri), Is.False);
        Assert.That(uri, Is.Null);
    }

    [Test]
    public void Resolve_ConfiguredEndpoint_WinsOverEnvironment()
    {
        Assert.That(EndpointResolver.Resolve("tcp://10.0.0.1:2375"), Is.EqualTo(new Uri("tcp://10.0.0.1:2375")));
    }

    [Test]
    public void Resolve_InvalidConfiguredEndpoint_ThrowsEngineUnavailable()
    {
        Assert.That(
            () => EndpointResolver.Resolve("ftp://host"),
            Throws.TypeOf<SandboxEngineUnavailableException>().With.Property(nameof(SandboxEngineUnavailableException.Endpoint)).EqualTo("ftp://host"));
    }
}
