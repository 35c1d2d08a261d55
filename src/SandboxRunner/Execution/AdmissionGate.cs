namespace SandboxRunner.Execution;

/// <summary>
/// Bounds the runs in progress and the runs waiting for a slot. One engine saturates at a few concurrent
/// starts per core: more concurrency only adds latency, and an unbounded queue only adds memory.
/// The semaphore is never disposed: runs still in flight release it after the runner is disposed, and a
/// <see cref="SemaphoreSlim"/> whose wait handle is never asked for holds nothing to free.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "See remarks: the semaphore is released by runs that outlive the runner and holds no wait handle.")]
internal sealed class AdmissionGate
{
    private readonly SemaphoreSlim _slots;
    private readonly int _maxConcurrent;
    private readonly int _maxQueued;
    private readonly TimeSpan _queueTimeout;
    private readonly TimeProvider _timeProvider;
    private int _queued;

    public AdmissionGate(int maxConcurrent, int maxQueued, TimeSpan queueTimeout, TimeProvider timeProvider)
    {
        _maxConcurrent = maxConcurrent;
        _maxQueued = maxQueued;
        _queueTimeout = queueTimeout;
        _timeProvider = timeProvider;
        _slots = new SemaphoreSlim(maxConcurrent, maxConcurrent);
    }

    /// <summary>Gets the number of runs waiting for a slot.</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Takes a slot, waiting in the queue if needed; dispose the lease to give it back.</summary>
    public async ValueTask<Lease> EnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return new Lease(_slots);
        }

        if (Interlocked.Increment(ref _queued) > _maxQueued)
        {
            Interlocked.Decrement(ref _queued);
            throw new SandboxCapacityExceededException(_maxConcurrent, _maxQueued, TimeSpan.Zero);
        }

        try
        {
            using var timeout = new CancellationTokenSource(_queueTimeout, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new SandboxCapacityExceededException(_maxConcurrent, _maxQueued, _queueTimeout);
            }

            return new Lease(_slots);
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }
    }

    /// <summary>A taken slot.</summary>
    internal readonly struct Lease(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots?.Release();
    }
}
