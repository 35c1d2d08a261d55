using System.Diagnostics;
using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Deadlines;

/// <summary>Programs still running at their deadline are stopped, then killed, and keep what they printed.</summary>
[TestFixtureSource(typeof(EngineEndpoint), nameof(EngineEndpoint.All))]
[Category("Integration")]
public sealed class DeadlineTests(EngineEndpoint endpoint) : SandboxFixture(endpoint)
{
    /// <summary>Deadline (2 s) plus the default grace (1 s) plus room for a loaded 2-core machine.</summary>
    private static readonly TimeSpan UpperBound = TimeSpan.FromSeconds(15);

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_ProgramIgnoringSigtermPastDeadline_IsKilledAndKeepsEarlyOutput(CancellationToken cancellationToken)
    {
        var code = "import signal, sys, time\nsignal.signal(signal.SIGTERM, lambda *_: print('ignoring SIGTERM', flush=True))\n"
            + "print('before the deadline', flush=True)\nprint('on stderr', file=sys.stderr, flush=True)\ntime.sleep(100)\nprint('never')";
        var request = Python(code) with { Timeout = TimeSpan.FromSeconds(2) };
        var stopwatch = Stopwatch.StartNew();

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut), Describe(result));
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Killed));
            Assert.That(result.ExitCode, Is.EqualTo(137));
            Assert.That(result.StandardOutputText, Does.StartWith("before the deadline\n"));
            Assert.That(result.StandardOutputText, Does.Contain("ignoring SIGTERM"), "the stop sent SIGTERM to the program before the kill");
            Assert.That(result.StandardOutputText, Does.Not.Contain("never"));
            Assert.That(result.StandardErrorText, Is.EqualTo("on stderr\n"));
            Assert.That(result.Timings.Run, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)), "it ran until its deadline");
            Assert.That(stopwatch.Elapsed, Is.LessThan(UpperBound));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_ChildrenIgnoringSigtermPastDeadline_AllEndWithTheKill(CancellationToken cancellationToken)
    {
        // The shell and four children of it all ignore SIGTERM; the children also outlive their parent's wait.
        const string Script = "trap '' TERM; for i in 1 2 3 4; do (trap '' TERM; exec sleep 1000) & done; echo forked; wait; echo never";
        var request = Shell(Script) with { Timeout = TimeSpan.FromSeconds(2) };
        var stopwatch = Stopwatch.StartNew();

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut), Describe(result));
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Killed), "nothing ended on SIGTERM");
            Assert.That(result.StandardOutputText, Is.EqualTo("forked\n"));
            Assert.That(stopwatch.Elapsed, Is.LessThan(UpperBound), "grace plus a small bound, whatever the children do");
        });
        Assert.That(await DockerCli.ContainerExistsAsync(result.SandboxId), Is.False, "the sandbox and every process in it are gone");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_InfiniteLoop_TimesOut(CancellationToken cancellationToken)
    {
        var request = Python("print('looping', flush=True)\nwhile True:\n    pass") with { Timeout = TimeSpan.FromSeconds(2) };
        var stopwatch = Stopwatch.StartNew();

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut), Describe(result));
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Stopped).Or.EqualTo(SandboxTermination.Killed));
            Assert.That(result.StandardOutputText, Is.EqualTo("looping\n"));
            Assert.That(stopwatch.Elapsed, Is.LessThan(UpperBound));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_SleepPastDeadline_IsStoppedBySigtermWithinGrace(CancellationToken cancellationToken)
    {
        var request = Shell("echo sleeping; exec sleep 100") with { Timeout = TimeSpan.FromSeconds(1) };
        var stopwatch = Stopwatch.StartNew();

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut), Describe(result));
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Stopped), "busybox sleep dies of the SIGTERM within the grace period");
            Assert.That(result.ExitCode, Is.EqualTo(143));
            Assert.That(result.StandardOutputText, Is.EqualTo("sleeping\n"));
            Assert.That(stopwatch.Elapsed, Is.LessThan(UpperBound));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_ZeroGracePeriod_KillsAtTheDeadline(CancellationToken cancellationToken)
    {
        var runner = CreateRunner(options => options.StopGracePeriod = TimeSpan.Zero);
        var request = Shell("echo sleeping; exec sleep 100") with { Timeout = TimeSpan.FromSeconds(1) };

        var result = await runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut), Describe(result));
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Killed));
            Assert.That(result.ExitCode, Is.EqualTo(137));
            Assert.That(result.StandardOutputText, Is.EqualTo("sleeping\n"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_ProgramEndingBeforeDeadline_IsNotTimedOut(CancellationToken cancellationToken)
    {
        var request = Shell("sleep 1; echo woke") with { Timeout = TimeSpan.FromSeconds(10) };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed), Describe(result));
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Exited));
            Assert.That(result.StandardOutputText, Is.EqualTo("woke\n"));
            Assert.That(result.Timings.Run, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9)));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_CallerCancelsMidRun_ThrowsOperationCanceledAndRemovesTheSandbox(CancellationToken cancellationToken)
    {
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var request = Shell("sleep 30") with { Timeout = TimeSpan.FromSeconds(60) };
        var stopwatch = Stopwatch.StartNew();

        var run = Runner.RunAsync(request, caller.Token);
        var seenRunning = await WaitForTestContainerAsync(run, TimeSpan.FromSeconds(20), cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var cancelledAt = stopwatch.Elapsed;
        await caller.CancelAsync();

        Assert.That(seenRunning, Is.True, $"the sandbox carries the label {TestRun.LabelFilter} while it runs");
        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        var ended = stopwatch.Elapsed - cancelledAt;
        var left = await CountTestContainersAsync(cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(left, Is.Zero, "the sandbox is removed before the call ends");
            Assert.That(ended, Is.LessThan(TimeSpan.FromSeconds(10)), "the call ends soon after the cancellation, not at the program's end");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task RunAsync_AlreadyCancelledToken_ThrowsAndCreatesNothing(CancellationToken cancellationToken)
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var before = await CountTestContainersAsync(cancellationToken);

        Assert.That(async () => await Runner.RunAsync(Shell("echo never"), cancelled.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await CountTestContainersAsync(cancellationToken), Is.EqualTo(before));
    }

    private static async Task<bool> WaitForTestContainerAsync(Task run, TimeSpan limit, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < limit && !run.IsCompleted)
        {
            if (await CountTestContainersAsync(cancellationToken) == 1)
            {
                return true;
            }

            await Task.Delay(100, cancellationToken);
        }

        return false;
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_ProgramHandlingSigtermGracefully_IsStoppedWithItsOwnExitCode(CancellationToken cancellationToken)
    {
        var code = "import signal, sys, time\ndef bye(*_):\n    print('cleaning up', flush=True)\n    sys.exit(5)\n"
            + "signal.signal(signal.SIGTERM, bye)\nprint('waiting', flush=True)\ntime.sleep(100)";
        var request = Python(code) with { Timeout = TimeSpan.FromSeconds(2) };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut), Describe(result));
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Stopped));
            Assert.That(result.ExitCode, Is.EqualTo(5));
            Assert.That(result.StandardOutputText, Is.EqualTo("waiting\ncleaning up\n"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_UnreadStandardInputAndSleepPastDeadline_TimesOutWithoutHanging(CancellationToken cancellationToken)
    {
        // 4 MiB fill the pipe: the writer stays blocked until the stop ends the program.
        var request = Shell("exec sleep 100") with { StandardInput = new byte[4 * 1024 * 1024], Timeout = TimeSpan.FromSeconds(1) };
        var stopwatch = Stopwatch.StartNew();

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut), Describe(result));
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Stopped).Or.EqualTo(SandboxTermination.Killed));
            Assert.That(stopwatch.Elapsed, Is.LessThan(UpperBound));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_EndlessOutputPastDeadline_IsTimedOutAndTruncated(CancellationToken cancellationToken)
    {
        var request = Shell("yes flood") with
        {
            Timeout = TimeSpan.FromSeconds(2),
            Limits = new SandboxLimits { MaxOutputBytes = 64 * 1024 },
        };
        var stopwatch = Stopwatch.StartNew();

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut), $"status {result.Status}, exit {result.ExitCode}, stderr '{result.StandardErrorText}'");
            Assert.That(result.StandardOutputTruncated, Is.True);
            Assert.That(result.StandardOutput.Length, Is.EqualTo(64 * 1024));
            Assert.That(result.StandardOutputText, Does.StartWith("flood\nflood\n"));
            Assert.That(stopwatch.Elapsed, Is.LessThan(UpperBound));
        });
    }
}
