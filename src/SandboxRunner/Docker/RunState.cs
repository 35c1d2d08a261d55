using SandboxRunner.Validation;

namespace SandboxRunner.Docker;

/// <summary>What one run knows so far: its names, the phase it is in, and its clock.</summary>
internal sealed class RunState
{
    private readonly TimeProvider _timeProvider;
    private readonly long _started;
    private long _lap;

    public RunState(string runId, RunPlan plan, TimeProvider timeProvider)
    {
        RunId = runId;
        Plan = plan;
        Name = "sandboxrunner-" + runId;
        _timeProvider = timeProvider;
        _started = _lap = timeProvider.GetTimestamp();
    }

    public string RunId { get; }

    public RunPlan Plan { get; }

    /// <summary>Gets the container name, known before creation, so a create whose answer was lost can still be removed.</summary>
    public string Name { get; }

    public string? SandboxId { get; set; }

    public string ImageId { get; set; } = string.Empty;

    /// <summary>Gets or sets the operation in progress, for errors and logs.</summary>
    public string Operation { get; set; } = SandboxOperations.Connect;

    public bool CreateAttempted { get; set; }

    public bool CleanupFailed { get; set; }

    /// <summary>Gets or sets whether the engine could not be reached while the sandbox was being removed.</summary>
    public bool EngineLostAtEnd { get; set; }

    public PhaseTimings Timings { get; } = new();

    public TimeSpan Elapsed => _timeProvider.GetElapsedTime(_started);

    /// <summary>Returns the time since the previous lap and starts a new one.</summary>
    public TimeSpan Lap()
    {
        var now = _timeProvider.GetTimestamp();
        var elapsed = _timeProvider.GetElapsedTime(_lap, now);
        _lap = now;
        return elapsed;
    }

    internal sealed class PhaseTimings
    {
        public TimeSpan Image { get; set; }

        public TimeSpan Create { get; set; }

        public TimeSpan Start { get; set; }

        public TimeSpan Run { get; set; }

        public TimeSpan Cleanup { get; set; }
    }
}
