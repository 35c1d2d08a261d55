using System.Diagnostics;
using System.Globalization;
using SandboxRunner.IntegrationTests.Infrastructure;
using SandboxRunner.IntegrationTests.Proxy;

namespace SandboxRunner.IntegrationTests.Faults;

/// <summary>
/// An engine that dies or stops while a program runs: the run ends in bounded time, typed, and its
/// container is removed once the engine is back, by the run if it can, else by the sweeper. Runs on a
/// second engine of its own (<c>tests/testbed/engine2.sh</c>), never on the shared one.
/// </summary>
/// <remarks>
/// What the engine does (docker 20.10, no live-restore): a SIGKILLed dockerd takes its containerd with it,
/// the shims keep the container running; the restarted dockerd stops it while it restores (SIGTERM, which
/// the sandbox's init passes on, so this takes well under a second) and keeps it as exited. A stopped
/// (SIGTERM) dockerd stops its containers while it still serves the pending wait, then goes away.
/// </remarks>
[Category("Integration")]
[NonParallelizable]
public sealed class EngineRestartTests
{
    private const string Engine2 = "unix:///var/run/sandboxrunner-engine2.sock";
    private const string ExpiresLabel = "sandboxrunner.expires";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan DockerTimeout = TimeSpan.FromSeconds(30);

    private static string Script => Path.Combine(RepositoryLayout.Root, "tests", "testbed", "engine2.sh");

    [OneTimeSetUp]
    public async Task StartEngine2Async() => await Engine2ScriptAsync("start", CancellationToken.None);

    [OneTimeTearDown]
    public async Task RemoveLeftoversAndStopEngine2Async()
    {
        IReadOnlyList<string> left = [];
        try
        {
            left = await ListTestContainersAsync(CancellationToken.None);
            foreach (var id in left)
            {
                await DockerAsync(["rm", "-f", "-v", id], CancellationToken.None);
            }
        }
        finally
        {
            await Engine2ScriptAsync("stop", CancellationToken.None);
        }

        Assert.That(left, Is.Empty, $"containers labelled {TestRun.LabelFilter} were left on engine2 (removed by the teardown)");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task RunAsync_EngineKilledAndRestartedMidRun_ThrowsTypedAndContainerIsRemoved(CancellationToken cancellationToken)
    {
        var cleanupTimeout = TimeSpan.FromSeconds(20);
        await Engine2ScriptAsync("start", cancellationToken);
        await using var runner = SandboxRunnerFactory.CreateDocker(Options(cleanupTimeout));

        var running = CaptureAsync(runner.RunAsync(SleepingShell(TimeSpan.FromSeconds(40)), cancellationToken));
        var id = await WaitForRunningContainerAsync(running, cancellationToken);

        await Engine2ScriptAsync("kill", cancellationToken);
        var sinceKill = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        await Engine2ScriptAsync("start", cancellationToken);
        var engineBackAfter = sinceKill.Elapsed;

        var (result, failure) = await running.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        var endedAfter = sinceKill.Elapsed;
        var leftAfterRun = await ListTestContainersAsync(cancellationToken);
        await TestContext.Out.WriteLineAsync(
            $"engine2 back {engineBackAfter.TotalSeconds:0.0} s after the kill; run ended {endedAfter.TotalSeconds:0.0} s after it with "
            + (failure is not null ? failure.GetType().Name + ": " + failure.Message : $"{result!.Status}, exit {result.ExitCode}, cleanup failed {result.CleanupFailed}")
            + $"; left after the run: [{string.Join(", ", leftAfterRun)}]");

        // Typed failure, or (had the library bridged the restart) a result for what the engine reports.
        if (failure is not null)
        {
            Assert.That(failure, Is.InstanceOf<SandboxException>(), failure.ToString());
            Assert.That(((SandboxException)failure).SandboxId, Is.EqualTo(id), "the exception names the sandbox");
        }
        else
        {
            Assert.That(result!.Status, Is.AnyOf(SandboxStatus.TimedOut, SandboxStatus.Completed), "status of a run that survived the restart");
        }

        if (engineBackAfter + TimeSpan.FromSeconds(3) < cleanupTimeout)
        {
            // The engine came back well within CleanupTimeout: the run's own removal retries bridge the restart.
            Assert.That(leftAfterRun, Is.Empty, $"engine2 was back after {engineBackAfter.TotalSeconds:0.0} s, within the cleanup timeout: the run removes its container");
        }
        else if (leftAfterRun.Count > 0)
        {
            // Too slow a restart for the run's cleanup: the sweeper removes it once it has expired.
            var report = await SweepAtExpiryAsync(id, cancellationToken);
            Assert.That(report.Removed.Select(s => (s.SandboxId, s.Reason)), Does.Contain((id, "expired")));
        }

        Assert.That(await ListTestContainersAsync(cancellationToken), Is.Empty, "no container of the run is left on engine2");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task RunAsync_EngineStoppedMidRun_EndsWithCleanupFailedAndSweeperRemovesExpiredContainer(CancellationToken cancellationToken)
    {
        var cleanupTimeout = TimeSpan.FromSeconds(3);
        await Engine2ScriptAsync("start", cancellationToken);
        await using var runner = SandboxRunnerFactory.CreateDocker(Options(cleanupTimeout));

        var running = CaptureAsync(runner.RunAsync(SleepingShell(TimeSpan.FromSeconds(40)), cancellationToken));
        var id = await WaitForRunningContainerAsync(running, cancellationToken);

        var sinceStop = Stopwatch.StartNew();
        await Engine2ScriptAsync("stop", cancellationToken);
        var (result, failure) = await running.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var endedAfter = sinceStop.Elapsed;
        await TestContext.Out.WriteLineAsync(
            $"run ended {endedAfter.TotalSeconds:0.0} s after the stop began with "
            + (failure is not null ? failure.GetType().Name + ": " + failure.Message : $"{result!.Status}, exit {result.ExitCode}, termination {result.Termination}, cleanup failed {result.CleanupFailed}, stdout '{result.StandardOutputText.Trim()}'"));

        // The engine is gone for good: the run cannot remove its container and must say so, typed.
        if (failure is not null)
        {
            Assert.That(failure, Is.InstanceOf<SandboxException>(), failure.ToString());
        }
        else
        {
            Assert.That(result!.CleanupFailed, Is.True, "the engine was gone: the removal cannot have succeeded");
        }

        await Engine2ScriptAsync("start", cancellationToken);
        Assert.That(await ListTestContainersAsync(cancellationToken), Is.EqualTo(new[] { id }), "the stopped engine kept the container (exited)");

        // The owner (this process) is alive and the container has not expired: a sweep now keeps it.
        await using (var sweeper = SandboxRunnerFactory.CreateDockerSweeper(Options(cleanupTimeout)))
        {
            var now = await sweeper.SweepAsync(cancellationToken);
            Assert.That(now.Removed.Select(s => s.SandboxId), Does.Not.Contain(id), "a live owner's unexpired sandbox is kept");
        }

        // Once it has expired, the sweep removes it.
        var report = await SweepAtExpiryAsync(id, cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(report.Removed.Select(s => (s.SandboxId, s.Reason)), Does.Contain((id, "expired")));
            Assert.That(report.Failed, Is.Empty);
        });
        Assert.That(await ListTestContainersAsync(cancellationToken), Is.Empty, "no container of the run is left on engine2");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task RunAsync_EngineRestartedGracefullyMidRun_ThrowsTypedAndRemovesContainer(CancellationToken cancellationToken)
    {
        await Engine2ScriptAsync("start", cancellationToken);
        await using var runner = SandboxRunnerFactory.CreateDocker(Options(TimeSpan.FromSeconds(20)));

        var running = CaptureAsync(runner.RunAsync(SleepingShell(TimeSpan.FromSeconds(40)), cancellationToken));
        await WaitForRunningContainerAsync(running, cancellationToken);
        await Engine2ScriptAsync("restart", cancellationToken);
        var (result, failure) = await running.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);

        Assert.That(failure, Is.InstanceOf<SandboxException>(), failure?.ToString() ?? $"got a result: {result!.Status}, exit {result.ExitCode}, termination {result.Termination}");
        Assert.That(await ListTestContainersAsync(cancellationToken), Is.Empty, "the run removes its container once the engine is back");
    }

    private static SandboxRunnerOptions Options(TimeSpan cleanupTimeout)
    {
        var options = new SandboxRunnerOptions { Endpoint = Engine2, CleanupTimeout = cleanupTimeout };
        options.Labels[TestRun.LabelKey] = TestRun.Id;
        return options;
    }

    private static SandboxRequest SleepingShell(TimeSpan timeout) =>
        new() { Image = TestRun.BusyboxImage, Command = ["sh", "-c", "echo started; sleep 60"], Timeout = timeout };

    private static async Task<(SandboxResult? Result, Exception? Failure)> CaptureAsync(Task<SandboxResult> run)
    {
        SandboxResult? result = null;
        var failure = await Thrown.ByAsync(async () => result = await run);
        return (result, failure);
    }

    /// <summary>Waits until the run's container runs on engine2 (the first run on a fresh engine pulls the image).</summary>
    private static async Task<string> WaitForRunningContainerAsync(Task<(SandboxResult? Result, Exception? Failure)> running, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var ids = await DockerAsync(["ps", "-q", "--no-trunc", "--filter", "label=" + TestRun.LabelFilter], cancellationToken);
            if (ids.Lines.Count > 0)
            {
                Assert.That(ids.Lines, Has.Count.EqualTo(1));
                return ids.Lines[0];
            }

            if (running.IsCompleted)
            {
                var (result, failure) = await running;
                Assert.Fail($"the run ended before its container was seen running: {failure?.ToString() ?? result?.Status.ToString()}");
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                Assert.Fail("the run's container did not run on engine2 within 30 s");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Sweeps engine2 with a clock set just past the container's expiry label.</summary>
    private static async Task<SandboxSweepReport> SweepAtExpiryAsync(string id, CancellationToken cancellationToken)
    {
        var label = await DockerAsync(["inspect", "--format", "{{index .Config.Labels \"" + ExpiresLabel + "\"}}", id], cancellationToken);
        Assert.That(label.ExitCode, Is.Zero, label.StandardError);
        var expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(label.StandardOutput.Trim(), CultureInfo.InvariantCulture));
        var offset = expires + TimeSpan.FromSeconds(5) - DateTimeOffset.UtcNow;
        await using var sweeper = SandboxRunnerFactory.CreateDockerSweeper(Options(TimeSpan.FromSeconds(10)), timeProvider: new ShiftedTimeProvider(offset));
        return await sweeper.SweepAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<string>> ListTestContainersAsync(CancellationToken cancellationToken)
    {
        var output = await DockerAsync(["ps", "-a", "-q", "--no-trunc", "--filter", "label=" + TestRun.LabelFilter], cancellationToken);
        Assert.That(output.ExitCode, Is.Zero, $"docker ps on engine2 failed: {output.StandardError}");
        return output.Lines;
    }

    private static Task<DockerCli.Output> DockerAsync(string[] arguments, CancellationToken cancellationToken) =>
        RunAsync("docker", ["-H", Engine2, .. arguments], DockerTimeout, cancellationToken);

    private static async Task Engine2ScriptAsync(string command, CancellationToken cancellationToken)
    {
        var output = await RunAsync("bash", [Script, command], ScriptTimeout, cancellationToken);
        Assert.That(output.ExitCode, Is.Zero, $"engine2.sh {command} failed: {output.StandardError}{output.StandardOutput}");
    }

    private static async Task<DockerCli.Output> RunAsync(string fileName, string[] arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not end within {timeout}.");
        }

        return new DockerCli.Output(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The system clock moved by an offset: a sweep "later" without waiting for it.</summary>
    private sealed class ShiftedTimeProvider(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }
}
