namespace SandboxRunner;

/// <summary>The outcome of one sweep.</summary>
/// <param name="Examined">How many of the library's sandboxes were found.</param>
/// <param name="Removed">The orphans removed, with why each was an orphan.</param>
/// <param name="Failed">The orphans whose removal failed; the next sweep tries again.</param>
public sealed record SandboxSweepReport(int Examined, IReadOnlyList<SweptSandbox> Removed, IReadOnlyList<SweptSandbox> Failed);

/// <summary>An orphaned sandbox a sweep dealt with.</summary>
/// <param name="SandboxId">The engine's identifier of the sandbox.</param>
/// <param name="RunId">The run it belonged to, if labelled.</param>
/// <param name="Reason">Why it was an orphan: <c>owner-gone</c> or <c>expired</c>.</param>
public sealed record SweptSandbox(string SandboxId, string? RunId, string Reason);
