using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Proxy;

/// <summary>
/// Engine API calls per run, counted in the access log of a socket proxy of the minimal set: a run makes the
/// five calls its work needs (create, attach, start, wait, remove), one fewer than a hand-written Docker.DotNet
/// lifecycle, whose attach inspects the container first; the engine's API version and the image are looked up
/// once per runner, not per run; a warm sandbox costs the same five calls, most of them before its run (its
/// workspace needs no upload: its mount options own it to the user).
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class ApiCallCountTests
{
    private const int ColdPort = 23830;
    private const int WarmPort = 23831;
    private const int Runs = 3;

    private static readonly string[] OneRun =
    [
        "POST /containers/create", "POST /containers/{id}/attach",
        "POST /containers/{id}/start", "POST /containers/{id}/wait", "DELETE /containers/{id}",
    ];

    private static readonly string[] PythonFromStdin = ["python3", "-"];

    [OneTimeTearDown]
    public async Task CheckNothingIsLeftAsync() =>
        Assert.That(await DockerCli.ListTestContainersAsync(), Is.Empty, $"containers labelled {TestRun.LabelFilter} are left");

    [Test]
    [CancelAfter(120_000)]
    public async Task RunAsync_ColdRuns_FiveCallsEachAndTheImageOnlyOnce(CancellationToken cancellationToken)
    {
        var proxy = await ProxyInstance.StartAsync(ColdPort, ProxyInstance.MinimalSet(), cancellationToken);
        try
        {
            await using var runner = SandboxRunnerFactory.CreateDocker(Options(proxy));
            for (var i = 0; i < Runs; i++)
            {
                var result = await runner.RunAsync(new SandboxRequest { Command = ["python3", "-c", $"print({i})"] }, cancellationToken);
                Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed), result.StandardErrorText);
            }
        }
        finally
        {
            await proxy.DisposeAsync();
        }

        var requests = await proxy.ReadAccessLogAsync(cancellationToken);
        var firstCreate = requests.ToList().FindIndex(r => r.Call == OneRun[0]);
        var setUp = requests.Take(firstCreate).Select(r => r.Call).ToList();
        var runs = requests.Skip(firstCreate).Select(r => r.Call).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(requests.Where(r => r.Status == 403), Is.Empty, "nothing is denied");
            Assert.That(setUp, Is.EquivalentTo(new[] { "GET /_ping", $"GET /images/{TestRun.PythonImage}/json" }), "looked up once, before the first run");
            Assert.That(runs, Is.EquivalentTo(Enumerable.Repeat(OneRun, Runs).SelectMany(c => c)), string.Join(Environment.NewLine, runs));
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task RunAsync_WarmRuns_FiveCallsPerSandbox(CancellationToken cancellationToken)
    {
        var proxy = await ProxyInstance.StartAsync(WarmPort, ProxyInstance.MinimalSet(), cancellationToken);
        var pool = Guid.NewGuid().ToString("N");
        var served = new List<string>();
        try
        {
            await using var runner = SandboxRunnerFactory.CreateDocker(Options(proxy, pool));
            for (var i = 0; i < Runs; i++)
            {
                await WaitForWarmAsync(pool, cancellationToken);
                var result = await runner.RunAsync(
                    new SandboxRequest { Command = PythonFromStdin, StandardInput = "print(42)"u8.ToArray() }, cancellationToken);
                Assert.Multiple(() =>
                {
                    Assert.That(result.StandardOutputText, Is.EqualTo("42\n"), result.StandardErrorText);
                    Assert.That(result.Timings.Create, Is.EqualTo(TimeSpan.Zero), "the run took a warm sandbox");
                });
                served.Add(result.SandboxId);
            }

            // The pool refills after the last run too: disposal then removes one sandbox that served nothing.
            await WaitForWarmAsync(pool, cancellationToken);
        }
        finally
        {
            await proxy.DisposeAsync();
        }

        // A warm sandbox's wait is issued while it idles (it tells whether the program died), so the idle one has it too.
        var calls = (await proxy.ReadAccessLogAsync(cancellationToken)).Where(r => r.Path.StartsWith("/containers/", StringComparison.Ordinal)).Select(r => r.Call).ToList();
        Assert.That(
            calls,
            Is.EquivalentTo(Enumerable.Repeat(OneRun, Runs + 1).SelectMany(c => c)),
            $"{Runs} served sandboxes and one idle; calls: {string.Join(", ", calls)}");
    }

    private static SandboxRunnerOptions Options(ProxyInstance proxy, string? pool = null)
    {
        var options = new SandboxRunnerOptions { Endpoint = proxy.Endpoint, DefaultImage = TestRun.PythonImage };
        options.Labels[TestRun.LabelKey] = TestRun.Id;
        if (pool is not null)
        {
            options.Labels[PoolLabel] = pool;
            var profile = new WarmPoolOptions { Image = TestRun.PythonImage, Size = 1 };
            foreach (var argument in PythonFromStdin)
            {
                profile.Command.Add(argument);
            }

            options.WarmPools.Add(profile);
        }

        return options;
    }

    private const string PoolLabel = "sandboxrunner-tests.pool";

    /// <summary>Waits until the pool's one sandbox is running (created, attached and started).</summary>
    private static async Task WaitForWarmAsync(string pool, CancellationToken cancellationToken)
    {
        while ((await DockerCli.RunCheckedAsync(
            ["ps", "-q", "--filter", $"label={PoolLabel}={pool}", "--filter", "status=running"], cancellationToken)).Count == 0)
        {
            await Task.Delay(50, cancellationToken);
        }

        // Running comes a moment before the pool holds it (its start call returns first).
        await Task.Delay(200, cancellationToken);
    }
}
