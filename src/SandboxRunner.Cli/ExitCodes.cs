namespace SandboxRunner.Cli;

/// <summary>
/// The exit codes of <c>sandboxrun</c>. A program that completed passes its own exit code through;
/// these codes mean something else happened (a program may also exit with them by itself).
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command line or the request was invalid; nothing ran.</summary>
    public const int Usage = 2;

    /// <summary>The program wrote more than the output limit (its output was cut).</summary>
    public const int OutputLimitExceeded = 122;

    /// <summary>The program was killed for exceeding its memory limit.</summary>
    public const int OutOfMemory = 123;

    /// <summary>The program was still running at its deadline.</summary>
    public const int TimedOut = 124;

    /// <summary>The engine, the proxy or the registry failed; the message says which.</summary>
    public const int InfrastructureError = 125;

    public static int For(SandboxResult result) => result.Status switch
    {
        SandboxStatus.TimedOut => TimedOut,
        SandboxStatus.OutOfMemory => OutOfMemory,
        SandboxStatus.OutputLimitExceeded => OutputLimitExceeded,
        _ => result.ExitCode,
    };
}
