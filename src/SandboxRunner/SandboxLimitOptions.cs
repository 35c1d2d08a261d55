namespace SandboxRunner;

/// <summary>
/// The ceilings of every run's resources. A request may tighten them through
/// <see cref="SandboxRequest.Limits"/>, never loosen them. The defaults suit small interpreted programs.
/// </summary>
public sealed class SandboxLimitOptions
{
    /// <summary>Gets or sets the memory limit in bytes, swap excluded.</summary>
    /// <value>The default is 256 MiB.</value>
    public long MemoryBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Gets or sets the CPU quota in cores.</summary>
    /// <value>The default is 1 core.</value>
    public double CpuCores { get; set; } = 1.0;

    /// <summary>Gets or sets the maximum number of processes and threads alive at once in a sandbox.</summary>
    /// <value>The default is 128.</value>
    public int MaxProcesses { get; set; } = 128;

    /// <summary>Gets or sets the number of bytes kept of each of standard output and standard error.</summary>
    /// <value>The default is 1 MiB.</value>
    public int MaxOutputBytes { get; set; } = 1024 * 1024;

    /// <summary>Gets or sets the size of <c>/tmp</c> in bytes.</summary>
    /// <value>The default is 64 MiB.</value>
    public long TmpSizeBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Gets or sets the size of the workspace in bytes.</summary>
    /// <value>The default is 64 MiB.</value>
    public long WorkspaceSizeBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Gets or sets the largest file a program may write, in bytes.</summary>
    /// <value>The default is 64 MiB.</value>
    public long MaxFileSizeBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Gets or sets the maximum number of open file descriptors per process.</summary>
    /// <value>The default is 256.</value>
    public int MaxOpenFiles { get; set; } = 256;
}
