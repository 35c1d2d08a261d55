namespace SandboxRunner;

/// <summary>
/// How a run ended. A non-zero exit code alone is <see cref="Completed"/>: the program ran to its end.
/// </summary>
public enum SandboxStatus
{
    /// <summary>The program exited on its own within its limits; see <see cref="SandboxResult.ExitCode"/>.</summary>
    Completed = 0,

    /// <summary>The program was still running at its deadline and was ended.</summary>
    TimedOut = 1,

    /// <summary>The program was killed because it exceeded its memory limit.</summary>
    OutOfMemory = 2,

    /// <summary>
    /// The program exited on its own, but wrote more than the output limit to standard output or
    /// standard error; what was kept is in the result, see the truncation flags.
    /// </summary>
    OutputLimitExceeded = 3,
}
