namespace SandboxRunner;

/// <summary>
/// Runs untrusted programs in throwaway, isolated sandboxes.
/// </summary>
/// <remarks>
/// <para>
/// Every call creates a fresh sandbox, runs one program in it and removes the sandbox again on every
/// path: success, failure, timeout, caller cancellation and engine faults.
/// </para>
/// <para>
/// What the untrusted program does (exit with a non-zero code, exceed its memory, run past its
/// deadline, flood its output) is reported in the <see cref="SandboxResult"/>. Only faults of the
/// infrastructure are thrown, as exceptions derived from <see cref="SandboxException"/>.
/// Implementations are thread-safe: one instance serves concurrent runs. Disposing waits for the runs
/// in progress to end (each is bounded by its deadline), so that their sandboxes are still removed.
/// </para>
/// </remarks>
public interface ISandboxRunner : IAsyncDisposable
{
    /// <summary>
    /// Runs <paramref name="request"/> in a new sandbox and returns its result once the sandbox is gone.
    /// </summary>
    /// <param name="request">What to run, with what input, limits and deadline.</param>
    /// <param name="cancellationToken">
    /// Cancels the run. The sandbox is still removed, and the call ends with
    /// <see cref="OperationCanceledException"/>.
    /// </param>
    /// <returns>The outcome of the program.</returns>
    /// <exception cref="ArgumentException">The request is invalid; nothing was created.</exception>
    /// <exception cref="SandboxException">The sandbox infrastructure failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default);
}
