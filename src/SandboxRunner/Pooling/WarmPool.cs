using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SandboxRunner.Docker;
using SandboxRunner.Telemetry;
using SandboxRunner.Validation;

namespace SandboxRunner.Pooling;

/// <summary>
/// Keeps <see cref="WarmPoolOptions.Size"/> sandboxes of one profile started and waiting. A take hands one
/// out (never twice); its replacement is prepared once its run is over, or after the profile's
/// <see cref="WarmPoolOptions.RefillDelay"/>, so that the engine work of the refill does not slow the run it
/// replaces. Sandboxes that died or idled past their lifetime are discarded and replaced at once. The refill
/// runs in the background and backs off while the engine fails.
/// </summary>
internal sealed class WarmPool : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly WarmPoolOptions _profile;
    private readonly Func<RunPlan, CancellationToken, Task<WarmSandbox>> _prepare;
    private readonly Func<WarmSandbox, Task> _discard;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<WarmSandbox> _ready = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private IDisposable? _gauge;
    private int _count;

    public WarmPool(
        RunPlan plan,
        WarmPoolOptions profile,
        Func<RunPlan, CancellationToken, Task<WarmSandbox>> prepare,
        Func<WarmSandbox, Task> discard,
        TimeProvider timeProvider,
        ILogger logger)
    {
        Plan = plan;
        _profile = profile;
        _prepare = prepare;
        _discard = discard;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Gets the profile as a validated request.</summary>
    public RunPlan Plan { get; }

    /// <summary>Gets the number of sandboxes waiting ready.</summary>
    public int Ready => Volatile.Read(ref _count);

    public void Start()
    {
        _gauge = SandboxRunnerMetrics.Instance.TrackWarmPool(Plan.Image.Original, () => Ready);
        _loop = Task.Run(() => RefillAsync(_stopping.Token));
    }

    /// <summary>Whether <paramref name="plan"/> can run in this profile's sandboxes (deadline, input and files may differ).</summary>
    public bool Matches(RunPlan plan) =>
        plan.Image.Original == Plan.Image.Original
        && plan.WorkingDirectory == Plan.WorkingDirectory
        && plan.Limits == Plan.Limits
        && plan.Command.SequenceEqual(Plan.Command, StringComparer.Ordinal)
        && plan.Environment.SequenceEqual(Plan.Environment, StringComparer.Ordinal);

    /// <summary>Hands out a live sandbox, or <see langword="null"/> when none is ready (the run then goes cold).</summary>
    public WarmSandbox? TryTake()
    {
        while (_ready.TryDequeue(out var sandbox))
        {
            Interlocked.Decrement(ref _count);
            if (sandbox.Died || IsExpired(sandbox))
            {
                _wake.Release();
                _ = _discard(sandbox);
                continue;
            }

            _ = ReplaceAfterRunAsync(sandbox);
            return sandbox;
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _gauge?.Dispose();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        var discards = new List<Task>();
        while (_ready.TryDequeue(out var sandbox))
        {
            Interlocked.Decrement(ref _count);
            discards.Add(_discard(sandbox));
        }

        // The semaphore and the token source stay undisposed: a run in flight may still take (and so
        // release the semaphore) after disposal; neither holds a wait handle.
        await Task.WhenAll(discards).ConfigureAwait(false);
    }

    /// <summary>Wakes the refill when <paramref name="taken"/> is released, or after the refill delay.</summary>
    private async Task ReplaceAfterRunAsync(WarmSandbox taken)
    {
        try
        {
            await taken.Released.WaitAsync(_profile.RefillDelay, _timeProvider, _stopping.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A long run: replace its sandbox now rather than leave the pool short until it ends.
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _wake.Release();
    }

    private bool IsExpired(WarmSandbox sandbox) => _timeProvider.GetElapsedTime(sandbox.CreatedTimestamp) >= _profile.IdleLifetime;

    private async Task RefillAsync(CancellationToken stopping)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                EvictExpired();
                while (Ready < _profile.Size && !stopping.IsCancellationRequested)
                {
                    var sandbox = await _prepare(Plan, stopping).ConfigureAwait(false);
                    _ready.Enqueue(sandbox);
                    Interlocked.Increment(ref _count);
                }

                backoff = TimeSpan.FromMilliseconds(500);
                await WaitForWorkAsync(_profile.IdleLifetime / 4, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is SandboxException || DockerErrors.IsEngineFault(e))
            {
                Log.WarmRefillFailed(_logger, e, Plan.Image.Original);
                try
                {
                    await Task.Delay(backoff, _timeProvider, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Discards the oldest sandboxes while they are past their lifetime (the queue is oldest first).</summary>
    private void EvictExpired()
    {
        while (_ready.TryPeek(out var oldest) && (oldest.Died || IsExpired(oldest)))
        {
            if (_ready.TryDequeue(out var sandbox))
            {
                Interlocked.Decrement(ref _count);
                if (sandbox.Died || IsExpired(sandbox))
                {
                    _ = _discard(sandbox);
                }
                else
                {
                    _ready.Enqueue(sandbox);
                    Interlocked.Increment(ref _count);
                    return;
                }
            }
        }
    }

    private async Task WaitForWorkAsync(TimeSpan period, CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(period, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        try
        {
            await _wake.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            // Time to look for sandboxes past their lifetime.
        }
    }
}
