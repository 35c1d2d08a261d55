namespace SandboxRunner.Validation;

/// <summary>The smallest values a limit may take: below them no program starts reliably.</summary>
internal static class LimitMinimums
{
    public const long MemoryBytes = 8L * 1024 * 1024;
    public const double CpuCores = 0.01;
    public const int MaxProcesses = 8;
    public const int MaxOutputBytes = 1024;
    public const long TmpSizeBytes = 1024L * 1024;
    public const long WorkspaceSizeBytes = 1024L * 1024;
    public const long MaxFileSizeBytes = 4096;
    public const int MaxOpenFiles = 16;
}
