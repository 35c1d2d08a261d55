using SandboxRunner.Validation;

namespace SandboxRunner.Tests.Validation;

[TestFixture]
[Category("Unit")]
public sealed class ImageReferenceTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static ImageReference Parse(string value)
    {
        Assert.That(ImageReference.TryParse(value, out var reference), Is.True, value);
        return reference!;
    }

    [TestCase("busybox", "docker.io", "busybox", null)]
    [TestCase("busybox:1.36", "docker.io", "busybox", "1.36")]
    [TestCase("library/busybox:latest", "docker.io", "library/busybox", "latest")]
    [TestCase("127.0.0.1:5000/sandboxrunner/python:3.11", "127.0.0.1:5000", "sandboxrunner/python", "3.11")]
    [TestCase("localhost/x", "localhost", "x", null)]
    [TestCase("localhost:5000/x", "localhost:5000", "x", null)]
    [TestCase("docker.io/library/python:3.11-slim", "docker.io", "library/python", "3.11-slim")]
    [TestCase("[::1]:5000/x:y", "[::1]:5000", "x", "y")]
    [TestCase("registry.example.com/team/my_app__v2:v1.0", "registry.example.com", "team/my_app__v2", "v1.0")]
    public void TryParse_ValidReference_SplitsRegistryRepositoryAndTag(string value, string registry, string repository, string? tag)
    {
        var reference = Parse(value);

        Assert.Multiple(() =>
        {
            Assert.That(reference.Original, Is.EqualTo(value));
            Assert.That(reference.Registry, Is.EqualTo(registry));
            Assert.That(reference.Repository, Is.EqualTo(repository));
            Assert.That(reference.Tag, Is.EqualTo(tag));
            Assert.That(reference.Digest, Is.Null);
        });
    }

    [Test]
    public void TryParse_DigestReference_KeepsDigest()
    {
        var reference = Parse("ghcr.io/a/b@" + Digest);

        Assert.Multiple(() =>
        {
            Assert.That(reference.Registry, Is.EqualTo("ghcr.io"));
            Assert.That(reference.Repository, Is.EqualTo("a/b"));
            Assert.That(reference.Tag, Is.Null);
            Assert.That(reference.Digest, Is.EqualTo(Digest));
            Assert.That(reference.PullName, Is.EqualTo("ghcr.io/a/b"));
            Assert.That(reference.PullTag, Is.EqualTo(Digest));
        });
    }

    [Test]
    public void TryParse_TagAndDigest_PullsByDigest()
    {
        var reference = Parse("python:3.11@" + Digest);

        Assert.Multiple(() =>
        {
            Assert.That(reference.Tag, Is.EqualTo("3.11"));
            Assert.That(reference.PullTag, Is.EqualTo(Digest));
        });
    }

    [TestCase("Busybox")]
    [TestCase("library/Python")]
    [TestCase("busy box")]
    [TestCase(" busybox")]
    [TestCase("busybox ")]
    [TestCase("busybox::1")]
    [TestCase("busybox:")]
    [TestCase(":tag")]
    [TestCase("busybox:-tag")]
    [TestCase("busybox@sha256:xyz")]
    [TestCase("busybox@sha256:0123")]
    [TestCase("busybox@")]
    [TestCase("a//b")]
    [TestCase("/busybox")]
    [TestCase("busybox/")]
    [TestCase("bad_host.com:99999999/x")]
    [TestCase("host:1:2/x")]
    [TestCase("")]
    public void TryParse_MalformedReference_ReturnsFalse(string value)
    {
        var parsed = ImageReference.TryParse(value, out var reference);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.False);
            Assert.That(reference, Is.Null);
        });
    }

    [Test]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.That(ImageReference.TryParse(null, out _), Is.False);
    }

    [Test]
    public void TryParse_LongerThan512Characters_ReturnsFalse()
    {
        Assert.That(ImageReference.TryParse("a/" + new string('b', 511), out _), Is.False);
    }

    [TestCase("busybox", "busybox", "latest")]
    [TestCase("python:3.11", "python", "3.11")]
    [TestCase("library/python:3.11", "library/python", "3.11")]
    [TestCase("docker.io/library/python:3.11-slim", "docker.io/library/python", "3.11-slim")]
    [TestCase("127.0.0.1:5000/sandboxrunner/python:3.11", "127.0.0.1:5000/sandboxrunner/python", "3.11")]
    [TestCase("localhost/x", "localhost/x", "latest")]
    public void PullNameAndTag_KeepTheRegistryAsWritten(string value, string pullName, string pullTag)
    {
        var reference = Parse(value);

        Assert.Multiple(() =>
        {
            Assert.That(reference.PullName, Is.EqualTo(pullName));
            Assert.That(reference.PullTag, Is.EqualTo(pullTag));
        });
    }

    [Test]
    public void ToString_IsTheOriginal()
    {
        Assert.That(Parse("ghcr.io/a/b:c").ToString(), Is.EqualTo("ghcr.io/a/b:c"));
    }
}
