using Microsoft.Extensions.Time.Testing;
using SandboxRunner.Execution;

namespace SandboxRunner.Tests.Execution;

[TestFixture]
[Category("Unit")]
[CancelAfter(30_000)]
public sealed class AdmissionGateTests
{
    private static readonly TimeSpan QueueTimeout = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();

    [Test]
    public async Task EnterAsync_FreeSlot_AdmitsAtOnce(CancellationToken cancellationToken)
    {
        var gate = new AdmissionGate(1, 0, QueueTimeout, _time);

        using var lease = await gate.EnterAsync(cancellationToken);

        Assert.That(gate.Queued, Is.Zero);
    }

    [Test]
    public async Task EnterAsync_AllSlotsTaken_QueuesUntilALeaseIsReturned(CancellationToken cancellationToken)
    {
        var gate = new AdmissionGate(1, 1, QueueTimeout, _time);
        var first = await gate.EnterAsync(cancellationToken);

        var second = gate.EnterAsync(cancellationToken).AsTask();
        var queued = gate.Queued;
        var admittedEarly = second.IsCompleted;
        first.Dispose();
        using var lease = await second.WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(queued, Is.EqualTo(1));
            Assert.That(admittedEarly, Is.False);
            Assert.That(gate.Queued, Is.Zero);
        });
    }

    [Test]
    public async Task EnterAsync_QueueFull_RefusesAtOnce(CancellationToken cancellationToken)
    {
        var gate = new AdmissionGate(1, 0, QueueTimeout, _time);
        using var first = await gate.EnterAsync(cancellationToken);

        var error = await Fakes.Expect.ThrowsAsync<SandboxCapacityExceededException>(() => gate.EnterAsync(cancellationToken).AsTask());

        Assert.That(gate.Queued, Is.Zero, error.Message);
    }

    [Test]
    public async Task EnterAsync_QueuedPastQueueTimeout_IsRefused(CancellationToken cancellationToken)
    {
        var gate = new AdmissionGate(1, 1, QueueTimeout, _time);
        using var first = await gate.EnterAsync(cancellationToken);

        var second = gate.EnterAsync(cancellationToken).AsTask();
        _time.Advance(QueueTimeout);

        await Fakes.Expect.ThrowsAsync<SandboxCapacityExceededException>(() => second.WaitAsync(cancellationToken));
        Assert.That(gate.Queued, Is.Zero);
    }

    [Test]
    public async Task EnterAsync_CallerCancelsWhileQueued_ThrowsCancelled(CancellationToken cancellationToken)
    {
        var gate = new AdmissionGate(1, 1, QueueTimeout, _time);
        using var first = await gate.EnterAsync(cancellationToken);
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var second = gate.EnterAsync(caller.Token).AsTask();
        await caller.CancelAsync();

        var error = await Fakes.Expect.ThrowsAsync<OperationCanceledException>(() => second);
        Assert.That(error, Is.Not.InstanceOf<SandboxException>());
    }
}
