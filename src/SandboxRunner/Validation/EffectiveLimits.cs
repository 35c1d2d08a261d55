namespace SandboxRunner.Validation;

/// <summary>The limits of one run after the request's values were checked against the ceilings.</summary>
internal readonly record struct EffectiveLimits(
    long MemoryBytes,
    double CpuCores,
    int MaxProcesses,
    int MaxOutputBytes,
    long TmpSizeBytes,
    long WorkspaceSizeBytes,
    long MaxFileSizeBytes,
    int MaxOpenFiles);
