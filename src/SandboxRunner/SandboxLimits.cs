namespace SandboxRunner;

/// <summary>
/// Resource limits of one run. Each value left <see langword="null"/> takes the configured ceiling
/// (<see cref="SandboxRunnerOptions.Limits"/>); a value set on a request may only tighten that ceiling.
/// </summary>
public sealed record SandboxLimits
{
    /// <summary>Gets the memory limit in bytes; swap is never granted on top of it. Minimum 8 MiB.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>Gets the CPU quota in cores (for example 0.5 for half a core). Minimum 0.01.</summary>
    public double? CpuCores { get; init; }

    /// <summary>Gets the maximum number of processes and threads alive at once. Minimum 8.</summary>
    public int? MaxProcesses { get; init; }

    /// <summary>
    /// Gets the number of bytes kept of each of standard output and standard error. Output past it is
    /// read and discarded, and the result is marked truncated. Minimum 1 KiB.
    /// </summary>
    public int? MaxOutputBytes { get; init; }

    /// <summary>Gets the size of the writable, non-executable <c>/tmp</c> in bytes. Minimum 1 MiB.</summary>
    public long? TmpSizeBytes { get; init; }

    /// <summary>
    /// Gets the size of the writable workspace in bytes (see <see cref="SandboxPaths.Workspace"/> for what it
    /// caps when the request has files). Minimum 1 MiB.
    /// </summary>
    public long? WorkspaceSizeBytes { get; init; }

    /// <summary>Gets the largest file the program may write, in bytes. Minimum 4 KiB.</summary>
    public long? MaxFileSizeBytes { get; init; }

    /// <summary>Gets the maximum number of open file descriptors per process. Minimum 16.</summary>
    public int? MaxOpenFiles { get; init; }
}
