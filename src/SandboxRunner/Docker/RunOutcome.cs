using SandboxRunner.Execution;

namespace SandboxRunner.Docker;

/// <summary>How the program ended, before cleanup; becomes the <see cref="SandboxResult"/> once cleanup is done.</summary>
internal sealed record RunOutcome(int ExitCode, bool TimedOut, bool OutOfMemory, SandboxTermination Termination, OutputCapture Output)
{
    public SandboxStatus Status =>
        TimedOut ? SandboxStatus.TimedOut
        : OutOfMemory ? SandboxStatus.OutOfMemory
        : Output.Truncated ? SandboxStatus.OutputLimitExceeded
        : SandboxStatus.Completed;

    public SandboxResult ToResult(RunState run) => new()
    {
        Status = Status,
        ExitCode = ExitCode,
        Termination = Termination,
        StandardOutput = Output.StandardOutput.Contents,
        StandardError = Output.StandardError.Contents,
        StandardOutputTruncated = Output.StandardOutput.Truncated,
        StandardErrorTruncated = Output.StandardError.Truncated,
        SandboxId = run.SandboxId ?? run.Name,
        ImageId = run.ImageId,
        CleanupFailed = run.CleanupFailed,
        Timings = new SandboxTimings
        {
            Image = run.Timings.Image,
            Create = run.Timings.Create,
            Start = run.Timings.Start,
            Run = run.Timings.Run,
            Cleanup = run.Timings.Cleanup,
            Total = run.Elapsed,
        },
    };
}
