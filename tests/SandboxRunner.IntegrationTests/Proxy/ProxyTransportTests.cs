using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Proxy;

/// <summary>What a proxy does to the transport: cut long-polls at its server timeout, tunnel the attach stream.</summary>
[Category("Integration")]
[NonParallelizable]
public sealed class ProxyTransportTests
{
    private const int ShortTimeoutPort = 23810;

    private ProxyInstance? _shortTimeout;

    [OneTimeSetUp]
    public async Task StartProxyAsync()
    {
        var variables = ProxyInstance.MinimalSet();
        variables["PROXY_SERVER_TIMEOUT"] = "2s";
        _shortTimeout = await ProxyInstance.StartAsync(ShortTimeoutPort, variables);
    }

    [OneTimeTearDown]
    public async Task StopProxyAndCheckNothingIsLeftAsync()
    {
        if (_shortTimeout is not null)
        {
            await _shortTimeout.DisposeAsync();
        }

        Assert.That(await DockerCli.ListTestContainersAsync(), Is.Empty, $"containers labelled {TestRun.LabelFilter} are left");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_LongerThanProxyServerTimeout_CompletesWithItsOutput(CancellationToken cancellationToken)
    {
        await using var runner = SandboxRunnerFactory.CreateDocker(Options(_shortTimeout!.Endpoint));
        var request = new SandboxRequest
        {
            Command = ["python3", "-c", "import time; time.sleep(5); print('done')"],
            Timeout = TimeSpan.FromSeconds(30),
        };

        var result = await runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed), $"{result.Status} exit {result.ExitCode} stderr '{result.StandardErrorText}'");
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Exited));
            Assert.That(result.StandardOutputText, Is.EqualTo("done\n"), "the wait cut by the proxy is issued again, not taken as the exit");
            Assert.That(result.Timings.Run, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(4.5)));
        });
        Assert.That(await DockerCli.ContainerExistsAsync(result.SandboxId), Is.False);
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task RunAsync_OneMebibyteStdinThroughDefaultProxy_ComesBackIdentical(CancellationToken cancellationToken)
    {
        var input = new byte[1024 * 1024];
        new Random(23800).NextBytes(input);
        var options = Options(EngineEndpoint.Proxy.Uri);
        options.Limits.MaxOutputBytes = 2 * 1024 * 1024;
        await using var runner = SandboxRunnerFactory.CreateDocker(options);

        var result = await runner.RunAsync(
            new SandboxRequest { Image = TestRun.BusyboxImage, Command = ["cat"], StandardInput = input, Timeout = TimeSpan.FromSeconds(60) },
            cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed), $"{result.Status} exit {result.ExitCode} stderr '{result.StandardErrorText}'");
            Assert.That(result.StandardOutput.Length, Is.EqualTo(input.Length));
            Assert.That(result.StandardOutput.Span.SequenceEqual(input), Is.True, "the bytes come back identical");
            Assert.That(result.StandardOutputTruncated, Is.False);
        });
    }

    private static SandboxRunnerOptions Options(string endpoint)
    {
        var options = new SandboxRunnerOptions { Endpoint = endpoint, DefaultImage = TestRun.PythonImage };
        options.Labels[TestRun.LabelKey] = TestRun.Id;
        return options;
    }
}
