using System.Text;

namespace SandboxRunner;

/// <summary>
/// The outcome of one run: how it ended, what it wrote, and how long each phase took.
/// </summary>
public sealed class SandboxResult
{
    private string? _standardOutputText;
    private string? _standardErrorText;

    /// <summary>Gets how the run ended.</summary>
    public required SandboxStatus Status { get; init; }

    /// <summary>
    /// Gets the program's exit code. A program ended by a signal reports 128 plus the signal number
    /// (137 when killed, 143 when stopped by SIGTERM).
    /// </summary>
    public required int ExitCode { get; init; }

    /// <summary>Gets what ended the program: itself, a stop at the deadline, or a kill.</summary>
    public SandboxTermination Termination { get; init; }

    /// <summary>Gets the bytes the program wrote to standard output, up to the output limit.</summary>
    public ReadOnlyMemory<byte> StandardOutput { get; init; }

    /// <summary>Gets the bytes the program wrote to standard error, up to the output limit.</summary>
    public ReadOnlyMemory<byte> StandardError { get; init; }

    /// <summary>Gets whether standard output went past the output limit and was cut.</summary>
    public bool StandardOutputTruncated { get; init; }

    /// <summary>Gets whether standard error went past the output limit and was cut.</summary>
    public bool StandardErrorTruncated { get; init; }

    /// <summary>Gets <see cref="StandardOutput"/> decoded as UTF-8 (invalid sequences become U+FFFD).</summary>
    public string StandardOutputText => _standardOutputText ??= Encoding.UTF8.GetString(StandardOutput.Span);

    /// <summary>Gets <see cref="StandardError"/> decoded as UTF-8 (invalid sequences become U+FFFD).</summary>
    public string StandardErrorText => _standardErrorText ??= Encoding.UTF8.GetString(StandardError.Span);

    /// <summary>Gets how long each phase took.</summary>
    public required SandboxTimings Timings { get; init; }

    /// <summary>Gets the engine's identifier of the sandbox (for the Docker engine, the container id).</summary>
    public required string SandboxId { get; init; }

    /// <summary>Gets the identifier of the image the program ran from (for the Docker engine, its <c>sha256:</c> id).</summary>
    public required string ImageId { get; init; }

    /// <summary>
    /// Gets whether removing the sandbox failed even after retries. The sandbox is then left for the
    /// orphan sweeper, which removes it by its labels; the failure is also logged and counted.
    /// </summary>
    public bool CleanupFailed { get; init; }
}
