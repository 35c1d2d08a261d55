namespace SandboxRunner;

/// <summary>
/// What ended the program.
/// </summary>
public enum SandboxTermination
{
    /// <summary>The program exited by itself (or was killed by the kernel, for example for memory).</summary>
    Exited = 0,

    /// <summary>The program was asked to stop at its deadline and stopped within the grace period.</summary>
    Stopped = 1,

    /// <summary>The program was killed at its deadline, after the grace period or at once.</summary>
    Killed = 2,
}
