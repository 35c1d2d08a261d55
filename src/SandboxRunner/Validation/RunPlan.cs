namespace SandboxRunner.Validation;

/// <summary>A validated request: everything a backend needs to run it, with defaults applied.</summary>
internal sealed record RunPlan(
    ImageReference Image,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Environment,
    string WorkingDirectory,
    IReadOnlyList<SandboxFile> Files,
    ReadOnlyMemory<byte> StandardInput,
    TimeSpan Timeout,
    EffectiveLimits Limits);
