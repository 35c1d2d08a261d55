namespace SandboxRunner;

/// <summary>
/// Removes sandboxes that their runner left behind: those whose owner process is gone (killed, crashed)
/// and those past their expiry. It only ever considers sandboxes labelled as this library's, and never
/// touches a live run's sandbox before its expiry.
/// </summary>
public interface ISandboxSweeper : IAsyncDisposable
{
    /// <summary>Finds and removes orphaned sandboxes once.</summary>
    /// <param name="cancellationToken">Cancels the sweep; a removal in progress is finished.</param>
    /// <returns>What was found and removed.</returns>
    /// <exception cref="SandboxException">The engine could not be asked for its sandboxes.</exception>
    Task<SandboxSweepReport> SweepAsync(CancellationToken cancellationToken = default);
}
