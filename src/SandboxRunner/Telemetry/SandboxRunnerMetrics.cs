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
    public const string StatusTag = "sandboxrunner.status";

    public static readonly ActivitySource ActivitySource = new(Name);

    // Declared before Instance: static fields initialise in order.
    private static readonly Meter Meter = new(Name);

    public static readonly SandboxRunnerMetrics Instance = new();

    private readonly Counter<long> _runs = Meter.CreateCounter<long>(RunsInstrument, "{run}", "Runs that ended, by status.");
    private readonly Histogram<double> _duration = Meter.CreateHistogram<double>(RunDurationInstrument, "s", "Duration of runs.");
    private readonly UpDownCounter<long> _active = Meter.CreateUpDownCounter<long>(ActiveRunsInstrument, "{run}", "Runs in progress.");
    private readonly Counter<long> _cleanupFailures = Meter.CreateCounter<long>(CleanupFailuresInstrument, "{sandbox}", "Sandboxes the runner could not remove; left to the sweeper.");

    public void RunStarted() => _active.Add(1);

    public void RunEnded() => _active.Add(-1);

    public void RunFinished(string status, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>(StatusTag, status);
        _runs.Add(1, tag);
        _duration.Record(duration.TotalSeconds, tag);
    }

    public void CleanupFailed() => _cleanupFailures.Add(1);
}
