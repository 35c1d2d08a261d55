using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SandboxRunner.Telemetry;

/// <summary>
/// The library's meter and activity source, both named <c>SandboxRunner</c>. Instrument and tag names
/// follow OpenTelemetry conventions; durations are in seconds.
/// </summary>
internal sealed class SandboxRunnerMetrics
{
    public const string Name = "SandboxRunner";
    public const string RunsInstrument = "sandboxrunner.runs";
    public const string RunDurationInstrument = "sandboxrunner.run.duration";
    public const string ActiveRunsInstrument = "sandboxrunner.runs.active";
    public const string CleanupFailuresInstrument = "sandboxrunner.cleanup.failures";
    public const string WarmReadyInstrument = "sandboxrunner.warm_pool.ready";
    public const string WarmTakesInstrument = "sandboxrunner.warm_pool.takes";
    public const string StatusTag = "sandboxrunner.status";
    public const string ImageTag = "sandboxrunner.image";
    public const string TakeResultTag = "sandboxrunner.warm_pool.result";

    public static readonly ActivitySource ActivitySource = new(Name);

    // Declared before Instance: static fields initialise in order.
    private static readonly Meter Meter = new(Name);

    public static readonly SandboxRunnerMetrics Instance = new();

    private readonly Counter<long> _runs = Meter.CreateCounter<long>(RunsInstrument, "{run}", "Runs that ended, by status.");
    private readonly Histogram<double> _duration = Meter.CreateHistogram<double>(RunDurationInstrument, "s", "Duration of runs.");
    private readonly UpDownCounter<long> _active = Meter.CreateUpDownCounter<long>(ActiveRunsInstrument, "{run}", "Runs in progress.");
    private readonly Counter<long> _cleanupFailures = Meter.CreateCounter<long>(CleanupFailuresInstrument, "{sandbox}", "Sandboxes the runner could not remove; left to the sweeper.");
    private readonly Counter<long> _warmTakes = Meter.CreateCounter<long>(
        WarmTakesInstrument, "{run}", "Runs matching a warm pool's profile: hit when a sandbox was ready, miss when none was and the run went cold.");

    /// <summary>The warm pools of every live runner, read by the ready gauge.</summary>
    private readonly ConcurrentDictionary<WarmPoolTracking, byte> _pools = new();

    private SandboxRunnerMetrics() =>
        Meter.CreateObservableUpDownCounter(WarmReadyInstrument, ObserveReady, "{sandbox}", "Sandboxes started and waiting in warm pools, by image.");

    public void RunStarted() => _active.Add(1);

    public void RunEnded() => _active.Add(-1);

    public void RunFinished(string status, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>(StatusTag, status);
        _runs.Add(1, tag);
        _duration.Record(duration.TotalSeconds, tag);
    }

    public void CleanupFailed() => _cleanupFailures.Add(1);

    public void WarmTaken(string image, bool hit) =>
        _warmTakes.Add(1, new KeyValuePair<string, object?>(ImageTag, image), new KeyValuePair<string, object?>(TakeResultTag, hit ? "hit" : "miss"));

    /// <summary>Counts a warm pool of <paramref name="image"/> in the ready gauge until the returned handle is disposed.</summary>
    public IDisposable TrackWarmPool(string image, Func<int> ready)
    {
        var tracking = new WarmPoolTracking(this, image, ready);
        _pools[tracking] = 0;
        return tracking;
    }

    private IEnumerable<Measurement<long>> ObserveReady()
    {
        foreach (var pool in _pools.Keys)
        {
            yield return new Measurement<long>(pool.Ready(), new KeyValuePair<string, object?>(ImageTag, pool.Image));
        }
    }

    private sealed class WarmPoolTracking(SandboxRunnerMetrics metrics, string image, Func<int> ready) : IDisposable
    {
        public string Image { get; } = image;

        public Func<int> Ready { get; } = ready;

        public void Dispose() => metrics._pools.TryRemove(this, out _);
    }
}
