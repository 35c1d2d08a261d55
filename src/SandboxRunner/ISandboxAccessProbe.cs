namespace SandboxRunner;

/// <summary>
/// Checks, with harmless requests, that every operation a runner needs is allowed: useful behind a
/// least-privilege socket proxy, whose denials otherwise only show when a run fails.
/// </summary>
public interface ISandboxAccessProbe : IAsyncDisposable
{
    /// <summary>Probes every operation once. Never creates, starts or removes anything.</summary>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>The verdict per operation.</returns>
    Task<SandboxAccessReport> ProbeAsync(CancellationToken cancellationToken = default);
}
