using SandboxRunner.Docker;

namespace SandboxRunner.Tests.Docker;

[TestFixture]
[Category("Unit")]
public sealed class ProxyPermissionsTests
{
    [TestCase("GET", "/_ping", new[] { "PING" })]
    [TestCase("HEAD", "/_ping", new[] { "PING" })]
    [TestCase("POST", "/containers/create", new[] { "CONTAINERS", "POST" })]
    [TestCase("DELETE", "/containers/abc", new[] { "CONTAINERS", "POST" })]
    [TestCase("PUT", "/containers/abc/archive", new[] { "CONTAINERS", "POST" })]
    [TestCase("GET", "/containers/abc/json", new[] { "CONTAINERS" })]
    [TestCase("GET", "/images/busybox/json", new[] { "IMAGES" })]
    [TestCase("POST", "/images/create", new[] { "IMAGES", "POST" })]
    [TestCase("GET", "/version", new[] { "VERSION" })]
    [TestCase("GET", "/info", new[] { "INFO" })]
    [TestCase("POST", "/exec/abc/start", new[] { "EXEC", "POST" })]
    [TestCase("GET", "/unknown", new string[0])]
    [TestCase("POST", "/unknown", new[] { "POST" })]
    public void For_MethodAndPath_NamesSectionThenPost(string method, string path, string[] expected)
    {
        Assert.That(ProxyPermissions.For(new HttpMethod(method), path), Is.EqualTo(expected));
    }

    [Test]
    public void For_NullArguments_Throw()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => ProxyPermissions.For(null!, "/_ping"), Throws.ArgumentNullException);
            Assert.That(() => ProxyPermissions.For(HttpMethod.Get, null!), Throws.ArgumentNullException);
        });
    }
}
