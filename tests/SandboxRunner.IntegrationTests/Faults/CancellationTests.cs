using System.Diagnostics;
using System.Globalization;
using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Faults;

/// <summary>A caller's cancellation at any phase ends the call and leaves no container behind.</summary>
[TestFixtureSource(typeof(EngineEndpoint), nameof(EngineEndpoint.All))]
[Category("Integration")]
[NonParallelizable]
public sealed class CancellationTests(EngineEndpoint endpoint) : SandboxFixture(endpoint)
{
    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_CancelledWhileProgramRuns_ThrowsAndLeavesNoContainer(CancellationToken cancellationToken)
    {
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        caller.CancelAfter(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        var failure = await Thrown.ByAsync(() => Runner.RunAsync(Python("import time; time.sleep(30)") with { Timeout = TimeSpan.FromSeconds(40) }, caller.Token));

        clock.Stop();
        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.InstanceOf<OperationCanceledException>(), failure?.ToString());
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "the call ends soon after the cancellation, not at the program's end");
        });
        Assert.That(await DockerCli.ListTestContainersAsync(cancellationToken), Is.Empty, "the sandbox is removed before the call ends");
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task RunAsync_CancelledAtAnyMomentOfTheLifecycle_ThrowsAndLeavesNoContainer(CancellationToken cancellationToken)
    {
        // From within the create to well into the output: a program that prints until it is stopped, so
        // cancellation is the only way the call can end. Each delay meets a different phase.
        var runner = CreateRunner();
        await runner.RunAsync(Shell("true"), cancellationToken);
        var request = Shell("while true; do echo output; done") with { Timeout = TimeSpan.FromSeconds(60) };
        foreach (var delay in new[] { 1, 5, 10, 20, 40, 70, 100, 150, 250, 400 })
        {
            using var caller = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            caller.CancelAfter(TimeSpan.FromMilliseconds(delay));
            var clock = Stopwatch.StartNew();

            var failure = await Thrown.ByAsync(() => runner.RunAsync(request, caller.Token));

            Assert.Multiple(() =>
            {
                Assert.That(failure, Is.InstanceOf<OperationCanceledException>(), $"cancelled after {delay} ms: {failure}");
                Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), $"cancelled after {delay} ms");
            });
            Assert.That(await DockerCli.ListTestContainersAsync(cancellationToken), Is.Empty, $"cancelled after {delay} ms: the sandbox is removed before the call ends");
        }
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task RunAsync_CancelledDuringPull_ThrowsOrCompletesAndLeavesNoContainer(CancellationToken cancellationToken)
    {
        // A runner already connected that has not seen the image; removing the image (it fails harmlessly
        // while a container of another test uses it) forces a pull, which the cancellation then meets.
        var runner = CreateRunner();
        await runner.RunAsync(Python("pass"), cancellationToken);
        await DockerCli.RunAsync(["rmi", TestRun.BusyboxImage], cancellationToken);
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        caller.CancelAfter(TimeSpan.FromMilliseconds(20));

        var failure = await Thrown.ByAsync(() => runner.RunAsync(Shell("echo pulled"), caller.Token));

        Assert.That(failure, Is.Null.Or.InstanceOf<OperationCanceledException>(), failure?.ToString());
        Assert.That(await DockerCli.ListTestContainersAsync(cancellationToken), Is.Empty);

        // The runner is still usable afterwards.
        var result = await runner.RunAsync(Shell("echo after"), cancellationToken);
        Assert.That(result.StandardOutputText, Is.EqualTo("after\n"), Describe(result));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task RunAsync_AlreadyCancelledToken_ThrowsAndCreatesNothing(CancellationToken cancellationToken)
    {
        // A label of this test alone, so that the engine's event log shows whether anything was created.
        var caseId = Guid.NewGuid().ToString("N");
        var runner = CreateRunner(o => o.Labels["sandboxrunner-tests.case"] = caseId);
        using var caller = new CancellationTokenSource();
        await caller.CancelAsync();
        var since = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        var failure = await Thrown.ByAsync(() => runner.RunAsync(Python("print('never')"), caller.Token));

        await Task.Delay(200, cancellationToken);
        var until = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
        var events = await DockerCli.RunCheckedAsync(
            ["events", "--since", since, "--until", until, "--filter", "type=container", "--filter", "label=sandboxrunner-tests.case=" + caseId],
            cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.InstanceOf<OperationCanceledException>(), failure?.ToString());
            Assert.That(events, Is.Empty, "no container was created, not even briefly");
        });
    }

}
