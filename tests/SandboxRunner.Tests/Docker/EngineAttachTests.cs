using System.Net;
using System.Net.Sockets;
using System.Text;
using Docker.DotNet;
using SandboxRunner.Docker;

namespace SandboxRunner.Tests.Docker;

/// <summary>
/// The runner's own attach against a scripted engine on a loopback socket: the request it sends, the stream it
/// hands back after a 101, and the errors it raises for every other answer.
/// </summary>
[TestFixture]
[Category("Unit")]
[CancelAfter(10_000)]
public sealed class EngineAttachTests
{
    private static readonly Version Api = new(1, 41);
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(5);

    [Test]
    public async Task AttachAsync_Upgraded_SendsOneUpgradeRequestAndStreamsBothWays(CancellationToken cancellationToken)
    {
        using var engine = new ScriptedEngine();
        var serving = engine.ServeAsync(async (connection, head) =>
        {
            // The first output frame arrives in the same packet as the head: it must not be lost.
            await connection.WriteAsync(Concat("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"u8.ToArray(), Frame(1, "out")), cancellationToken);
            var input = await ReadToEndAsync(connection, cancellationToken);
            await connection.WriteAsync(Frame(2, "got " + input), cancellationToken);
            return head;
        });

        using var stream = await EngineAttach.AttachAsync(engine.Endpoint, Api, "abc123", stdin: true, Answer, cancellationToken);
        await stream.WriteAsync("in"u8.ToArray(), 0, 2, cancellationToken);
        stream.CloseWrite();
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(cancellationToken);
        var request = await serving;

        Assert.Multiple(() =>
        {
            Assert.That(request, Does.StartWith("POST /v1.41/containers/abc123/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\n"));
            Assert.That(request, Does.Contain("\r\nUpgrade: tcp\r\n").And.Contain("\r\nConnection: Upgrade\r\n"));
            Assert.That(stdout, Is.EqualTo("out"));
            Assert.That(stderr, Is.EqualTo("got in"), "stdin reached the engine and its end was seen (half-close)");
        });
    }

    [Test]
    public async Task AttachAsync_NoStdin_AsksForNone(CancellationToken cancellationToken)
    {
        using var engine = new ScriptedEngine();
        var serving = engine.ServeAsync(async (connection, head) =>
        {
            await connection.WriteAsync("HTTP/1.1 101 UPGRADED\r\n\r\n"u8.ToArray(), cancellationToken);
            return head;
        });

        using var stream = await EngineAttach.AttachAsync(engine.Endpoint, Api, "abc", stdin: false, Answer, cancellationToken);

        Assert.That(await serving, Does.Contain("stdin=0"));
    }

    [TestCase(403, "<html><body><h1>403 Forbidden</h1></body></html>", "403 Forbidden")]
    [TestCase(404, """{"message":"No such container: abc"}""", "No such container: abc")]
    [TestCase(409, """{"message":"container abc is not running"}""", "is not running")]
    [TestCase(500, """{"message":"boom"}""", "boom")]
    public async Task AttachAsync_ErrorAnswer_ThrowsDockerApiExceptionWithStatusAndBody(int status, string body, string fragment)
    {
        using var engine = new ScriptedEngine();
        var bytes = Encoding.UTF8.GetBytes(body);
        _ = engine.ServeAsync(async (connection, head) =>
        {
            await connection.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} Whatever\r\nContent-Type: text/plain\r\nContent-Length: {bytes.Length}\r\n\r\n"));
            await Task.Delay(50);
            await connection.WriteAsync(bytes);
            return head;
        });

        var thrown = Assert.ThrowsAsync<DockerApiException>(() => EngineAttach.AttachAsync(engine.Endpoint, Api, "abc", stdin: true, Answer, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That((int)thrown!.StatusCode, Is.EqualTo(status));
            Assert.That(thrown.ResponseBody, Does.Contain(fragment), "the body is read to its Content-Length, across packets");
        });
    }

    [Test]
    public async Task AttachAsync_AnsweredWithoutUpgrade_ThrowsIOExceptionSayingSo(CancellationToken cancellationToken)
    {
        using var engine = new ScriptedEngine();
        _ = engine.ServeAsync(async (connection, head) =>
        {
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n"u8.ToArray(), cancellationToken);
            return head;
        });

        Assert.That(
            () => EngineAttach.AttachAsync(engine.Endpoint, Api, "abc", stdin: true, Answer, cancellationToken),
            Throws.TypeOf<IOException>().With.Message.Contains("200 instead of 101"));
        await Task.CompletedTask;
    }

    [Test]
    public async Task AttachAsync_ConnectionClosedBeforeAnswer_ThrowsIOException(CancellationToken cancellationToken)
    {
        using var engine = new ScriptedEngine();
        _ = engine.ServeAsync((_, head) => Task.FromResult(head));

        Assert.ThrowsAsync<IOException>(() => EngineAttach.AttachAsync(engine.Endpoint, Api, "abc", stdin: true, Answer, cancellationToken));
        await Task.CompletedTask;
    }

    [Test]
    public async Task AttachAsync_NotHttp_ThrowsIOExceptionNamingTheLine(CancellationToken cancellationToken)
    {
        using var engine = new ScriptedEngine();
        _ = engine.ServeAsync(async (connection, head) =>
        {
            await connection.WriteAsync("SSH-2.0-OpenSSH\r\n\r\n"u8.ToArray(), cancellationToken);
            return head;
        });

        Assert.That(
            () => EngineAttach.AttachAsync(engine.Endpoint, Api, "abc", stdin: true, Answer, cancellationToken),
            Throws.TypeOf<IOException>().With.Message.Contains("SSH-2.0-OpenSSH"));
        await Task.CompletedTask;
    }

    [Test]
    public async Task AttachAsync_NoAnswer_CancelledByTheToken()
    {
        using var engine = new ScriptedEngine();
        _ = engine.ServeAsync(async (_, head) =>
        {
            await Task.Delay(Timeout.Infinite, engine.Stopping);
            return head;
        });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.That(
            () => EngineAttach.AttachAsync(engine.Endpoint, Api, "abc", stdin: true, Answer, cancellation.Token),
            Throws.InstanceOf<OperationCanceledException>());
        await Task.CompletedTask;
    }

    [Test]
    public async Task AttachAsync_NoAnswerWithinTheAnswerTimeout_ThrowsTimeoutExceptionNamingIt()
    {
        using var engine = new ScriptedEngine();
        _ = engine.ServeAsync(async (_, head) =>
        {
            await Task.Delay(Timeout.Infinite, engine.Stopping);
            return head;
        });

        Assert.That(
            () => EngineAttach.AttachAsync(engine.Endpoint, Api, "abc", stdin: true, TimeSpan.FromMilliseconds(200), CancellationToken.None),
            Throws.TypeOf<TimeoutException>().With.Message.Contains("did not answer the attach within 0.2 s"));
        await Task.CompletedTask;
    }

    [Test]
    public void AttachAsync_NothingListening_ThrowsSocketException()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        Assert.That(
            () => EngineAttach.AttachAsync(new Uri($"tcp://127.0.0.1:{port}"), Api, "abc", stdin: true, Answer, CancellationToken.None),
            Throws.InstanceOf<SocketException>());
    }

    private static byte[] Frame(byte stream, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        frame[0] = stream;
        frame[4] = (byte)(payload.Length >> 24);
        frame[5] = (byte)(payload.Length >> 16);
        frame[6] = (byte)(payload.Length >> 8);
        frame[7] = (byte)payload.Length;
        payload.CopyTo(frame, 8);
        return frame;
    }

    private static byte[] Concat(byte[] first, byte[] second) => [.. first, .. second];

    private static async Task<string> ReadToEndAsync(NetworkStream connection, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await connection.CopyToAsync(copy, cancellationToken);
        return Encoding.UTF8.GetString(copy.ToArray());
    }

    /// <summary>One connection on a loopback port: reads the request head, then runs the script.</summary>
    private sealed class ScriptedEngine : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stopping = new();

        public ScriptedEngine() => _listener.Start();

        public Uri Endpoint => new($"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

        public CancellationToken Stopping => _stopping.Token;

        public async Task<string> ServeAsync(Func<NetworkStream, string, Task<string>> script)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            var connection = client.GetStream();
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await connection.ReadAsync(one, _stopping.Token) == 1)
            {
                head.Append((char)one[0]);
            }

            var result = await script(connection, head.ToString());
            client.Client.Shutdown(SocketShutdown.Send);
            return result;
        }

        public void Dispose()
        {
            _stopping.Cancel();
            _listener.Stop();
            _stopping.Dispose();
        }
    }
}
