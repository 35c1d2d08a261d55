using System.Diagnostics;
using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Faults;

/// <summary>A runner at capacity refuses at once when its queue is full, and after the queue timeout otherwise.</summary>
[Category("Integration")]
[NonParallelizable]
public sealed class AdmissionTests() : SandboxFixture(EngineEndpoint.Direct)
{
    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_AtCapacityWithoutQueue_RefusesTheSecondRunAtOnce(CancellationToken cancellationToken)
    {
        var runner = CreateRunner(o =>
        {
            o.MaxConcurrentRuns = 1;
            o.MaxQueuedRuns = 0;
        });
        var first = runner.RunAsync(Python("import time; time.sleep(3); print('first')"), cancellationToken);
        var clock = Stopwatch.StartNew();

        var failure = await Thrown.ByAsync(() => runner.RunAsync(Python("print('second')"), cancellationToken));

        clock.Stop();
        Assert.That(failure, Is.InstanceOf<SandboxCapacityExceededException>(), failure?.ToString());
        var refused = (SandboxCapacityExceededException)failure!;
        Assert.Multiple(() =>
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "refused at once, not after the first run");
            Assert.That(refused.Waited, Is.EqualTo(TimeSpan.Zero));
            Assert.That(refused.MaxConcurrentRuns, Is.EqualTo(1));
            Assert.That(refused.MaxQueuedRuns, Is.Zero);
            Assert.That(first.IsCompleted, Is.False, "the first run was still in progress");
        });

        var result = await first;
        Assert.That(result.StandardOutputText, Is.EqualTo("first\n"), Describe(result));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_QueuedPastQueueTimeout_IsRefusedAfterTheTimeout(CancellationToken cancellationToken)
    {
        var runner = CreateRunner(o =>
        {
            o.MaxConcurrentRuns = 1;
            o.MaxQueuedRuns = 1;
            o.QueueTimeout = TimeSpan.FromMilliseconds(500);
        });
        var first = runner.RunAsync(Python("import time; time.sleep(3); print('first')"), cancellationToken);
        var clock = Stopwatch.StartNew();

        var failure = await Thrown.ByAsync(() => runner.RunAsync(Python("print('second')"), cancellationToken));

        clock.Stop();
        Assert.That(failure, Is.InstanceOf<SandboxCapacityExceededException>(), failure?.ToString());
        var refused = (SandboxCapacityExceededException)failure!;
        Assert.Multiple(() =>
        {
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(450)), "it waited in the queue");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2.5)), "refused at the queue timeout, not when the first run ended");
            Assert.That(refused.Waited, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
            Assert.That(first.IsCompleted, Is.False, "the first run was still in progress");
        });

        var result = await first;
        Assert.That(result.StandardOutputText, Is.EqualTo("first\n"), Describe(result));
    }

}
