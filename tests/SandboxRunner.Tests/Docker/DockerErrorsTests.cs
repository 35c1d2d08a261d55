using System.Net;
using System.Net.Sockets;
using global::Docker.DotNet;
using SandboxRunner.Docker;

namespace SandboxRunner.Tests.Docker;

[TestFixture]
[Category("Unit")]
public sealed class DockerErrorsTests
{
    private static readonly DockerApiException Forbidden = new(HttpStatusCode.Forbidden, "<html>403 Forbidden</html>");

    [TestCase(SandboxOperations.Create, new[] { "CONTAINERS", "POST" })]
    [TestCase(SandboxOperations.Start, new[] { "CONTAINERS", "POST" })]
    [TestCase(SandboxOperations.Attach, new[] { "CONTAINERS", "POST" })]
    [TestCase(SandboxOperations.Wait, new[] { "CONTAINERS", "POST" })]
    [TestCase(SandboxOperations.Stop, new[] { "CONTAINERS", "POST" })]
    [TestCase(SandboxOperations.Kill, new[] { "CONTAINERS", "POST" })]
    [TestCase(SandboxOperations.Upload, new[] { "CONTAINERS", "POST" })]
    [TestCase(SandboxOperations.Remove, new[] { "CONTAINERS", "POST" })]
    [TestCase(SandboxOperations.Inspect, new[] { "CONTAINERS" })]
    [TestCase(SandboxOperations.List, new[] { "CONTAINERS" })]
    [TestCase(SandboxOperations.ImageInspect, new[] { "IMAGES" })]
    [TestCase(SandboxOperations.ImagePull, new[] { "IMAGES", "POST" })]
    [TestCase(SandboxOperations.Connect, new[] { "PING" })]
    public void Translate_Forbidden_IsAccessDeniedNamingTheProxyPermissions(string operation, string[] permissions)
    {
        var translated = DockerErrors.Translate(Forbidden, operation, "abc");

        Assert.That(translated, Is.TypeOf<SandboxAccessDeniedException>());
        var denied = (SandboxAccessDeniedException)translated!;
        Assert.Multiple(() =>
        {
            Assert.That(denied.RequiredPermissions, Is.EqualTo(permissions));
            Assert.That(denied.Operation, Is.EqualTo(operation));
            Assert.That(denied.SandboxId, Is.EqualTo("abc"));
            Assert.That(denied.InnerException, Is.SameAs(Forbidden));
            Assert.That(denied.Message, Does.Contain(string.Join(" and ", permissions.Select(p => p + "=1"))));
        });
    }

    [Test]
    public void Translate_OtherStatus_IsEngineExceptionWithStatusAndEngineMessage()
    {
        var inner = new DockerApiException(HttpStatusCode.Conflict, """{"message":"container is already in use"}""");

        var translated = DockerErrors.Translate(inner, SandboxOperations.Create, null);

        Assert.That(translated, Is.TypeOf<SandboxEngineException>());
        var engine = (SandboxEngineException)translated!;
        Assert.Multiple(() =>
        {
            Assert.That(engine.StatusCode, Is.EqualTo(409));
            Assert.That(engine.EngineMessage, Is.EqualTo("container is already in use"));
            Assert.That(engine.Operation, Is.EqualTo(SandboxOperations.Create));
            Assert.That(engine.SandboxId, Is.Null);
            Assert.That(engine.InnerException, Is.SameAs(inner));
            Assert.That(engine.Message, Does.Contain("409").And.Contain("container is already in use"));
        });
    }

    [Test]
    public void Translate_HttpRequestException_IsEngineExceptionWithoutStatus()
    {
        var inner = new HttpRequestException("connection refused");

        var translated = DockerErrors.Translate(inner, SandboxOperations.Start, "id1");

        Assert.That(translated, Is.TypeOf<SandboxEngineException>());
        var engine = (SandboxEngineException)translated!;
        Assert.Multiple(() =>
        {
            Assert.That(engine.StatusCode, Is.Null);
            Assert.That(engine.EngineMessage, Is.EqualTo("connection refused"));
            Assert.That(engine.SandboxId, Is.EqualTo("id1"));
            Assert.That(engine.InnerException, Is.SameAs(inner));
        });
    }

    [Test]
    public void Translate_ConnectionFaults_AreEngineExceptions()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DockerErrors.Translate(new IOException("broken pipe"), SandboxOperations.Wait, null), Is.TypeOf<SandboxEngineException>());
            Assert.That(DockerErrors.Translate(new SocketException((int)SocketError.ConnectionReset), SandboxOperations.Wait, null), Is.TypeOf<SandboxEngineException>());
            Assert.That(DockerErrors.Translate(new TimeoutException(), SandboxOperations.Wait, null), Is.TypeOf<SandboxEngineException>());
        });
    }

    [Test]
    public void Translate_NonEngineException_IsNull()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DockerErrors.Translate(new InvalidOperationException(), SandboxOperations.Create, null), Is.Null);
            Assert.That(DockerErrors.Translate(new OperationCanceledException(), SandboxOperations.Create, null), Is.Null);
        });
    }

    [Test]
    public void Translate_SandboxException_IsReturnedUnchanged()
    {
        var already = new SandboxImageException("busybox", SandboxOperations.ImagePull, "not found");

        Assert.That(DockerErrors.Translate(already, SandboxOperations.Create, null), Is.SameAs(already));
    }

    [Test]
    public void IsNotFound_OnlyFor404()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DockerErrors.IsNotFound(new DockerApiException(HttpStatusCode.NotFound, null)), Is.True);
            Assert.That(DockerErrors.IsNotFound(new DockerApiException(HttpStatusCode.Conflict, null)), Is.False);
            Assert.That(DockerErrors.IsNotFound(new InvalidOperationException()), Is.False);
        });
    }

    [TestCase("""{"message":"No such image: busybox:nope"}""", "No such image: busybox:nope")]
    [TestCase("  plain text from a proxy \n", "plain text from a proxy")]
    [TestCase("""{"error":"no message field"}""", """{"error":"no message field"}""")]
    [TestCase("""["an","array"]""", """["an","array"]""")]
    [TestCase("", null)]
    [TestCase("   ", null)]
    [TestCase(null, null)]
    public void EngineMessage_ParsesJsonMessageOrKeepsText(string? body, string? expected)
    {
        Assert.That(DockerErrors.EngineMessage(body), Is.EqualTo(expected));
    }

    [Test]
    public void EngineMessage_LongText_IsCutTo300Characters()
    {
        var message = DockerErrors.EngineMessage(new string('x', 1000));

        Assert.That(message, Is.EqualTo(new string('x', 300) + "…"));
    }
}
