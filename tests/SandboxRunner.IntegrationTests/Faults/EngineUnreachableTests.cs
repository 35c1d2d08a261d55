using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Faults;

/// <summary>An engine that is not there, refuses, or never answers is reported as unavailable, naming the endpoint.</summary>
[Category("Integration")]
public sealed class EngineUnreachableTests
{
    [TestCase("unix:///tmp/does-not-exist.sock", "/tmp/does-not-exist.sock")]
    [TestCase("tcp://127.0.0.1:1", "127.0.0.1:1")]
    [CancelAfter(30_000)]
    public async Task RunAsync_NothingListening_ThrowsEngineUnavailableNamingTheEndpoint(string endpoint, string named, CancellationToken cancellationToken)
    {
        await using var runner = SandboxRunnerFactory.CreateDocker(Options(endpoint, TimeSpan.FromSeconds(5)));

        var failure = await Thrown.ByAsync(() => runner.RunAsync(new SandboxRequest { Command = ["true"] }, cancellationToken));

        Assert.That(failure, Is.InstanceOf<SandboxEngineUnavailableException>(), failure?.ToString());
        var unavailable = (SandboxEngineUnavailableException)failure!;
        Assert.Multiple(() =>
        {
            Assert.That(unavailable.Endpoint, Does.Contain(named));
            Assert.That(unavailable.Message, Does.Contain(named));
            Assert.That(unavailable.Operation, Is.EqualTo(SandboxOperations.Connect));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task RunAsync_ListenerThatNeverAnswers_ThrowsEngineUnavailableAfterConnectTimeout(CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var accepted = new List<Socket>();
        var accepting = AcceptAndSitAsync(listener, accepted, stop.Token);
        try
        {
            await using var runner = SandboxRunnerFactory.CreateDocker(Options($"tcp://127.0.0.1:{port}", TimeSpan.FromSeconds(2)));
            var clock = Stopwatch.StartNew();

            var failure = await Thrown.ByAsync(() => runner.RunAsync(new SandboxRequest { Command = ["true"] }, cancellationToken));

            clock.Stop();
            Assert.That(failure, Is.InstanceOf<SandboxEngineUnavailableException>(), failure?.ToString());
            Assert.Multiple(() =>
            {
                Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "the connect timeout bounds the wait");
                Assert.That(((SandboxEngineUnavailableException)failure!).Endpoint, Does.Contain($"127.0.0.1:{port}"));
                Assert.That(accepted, Is.Not.Empty, "the runner did connect to the silent listener");
            });
        }
        finally
        {
            await stop.CancelAsync();
            listener.Stop();
            await accepting;
            foreach (var socket in accepted)
            {
                socket.Dispose();
            }
        }
    }

    private static async Task AcceptAndSitAsync(TcpListener listener, List<Socket> accepted, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var socket = await listener.AcceptSocketAsync(cancellationToken);
                lock (accepted)
                {
                    accepted.Add(socket);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }


    private static SandboxRunnerOptions Options(string endpoint, TimeSpan connectTimeout)
    {
        var options = new SandboxRunnerOptions { Endpoint = endpoint, DefaultImage = TestRun.PythonImage, ConnectTimeout = connectTimeout };
        options.Labels[TestRun.LabelKey] = TestRun.Id;
        return options;
    }
}
