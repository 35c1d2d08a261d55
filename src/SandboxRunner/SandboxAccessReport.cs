namespace SandboxRunner;

/// <summary>
/// What an access preflight found: for every operation a runner needs, whether the engine (or the proxy
/// in front of it) allows it, and which permissions would allow it.
/// </summary>
/// <param name="Endpoint">The endpoint probed.</param>
/// <param name="ApiVersion">The API version agreed with the engine, or <see langword="null"/> if none could be.</param>
/// <param name="Checks">One check per operation.</param>
public sealed record SandboxAccessReport(string Endpoint, string? ApiVersion, IReadOnlyList<SandboxAccessCheck> Checks)
{
    /// <summary>Gets whether every operation a runner needs is allowed.</summary>
    public bool AllAllowed => Checks.Count > 0 && Checks.All(c => c.Allowed);

    /// <summary>
    /// Gets the permissions to grant: those needed by a denied operation and by no allowed one (a permission
    /// an allowed operation needs is evidently granted already).
    /// </summary>
    public IReadOnlyList<string> MissingPermissions =>
        [.. Checks.Where(c => !c.Allowed).SelectMany(c => c.RequiredPermissions)
            .Except(Checks.Where(c => c.Allowed).SelectMany(c => c.RequiredPermissions), StringComparer.Ordinal)
            .Distinct(StringComparer.Ordinal)];
}

/// <summary>The verdict on one operation.</summary>
/// <param name="Operation">The operation (see <see cref="SandboxOperations"/>).</param>
/// <param name="Allowed">Whether the operation passes.</param>
/// <param name="RequiredPermissions">The proxy permissions the operation needs.</param>
/// <param name="Detail">What the probe saw, for example <c>404 from the engine</c> or <c>403 from the proxy</c>.</param>
public sealed record SandboxAccessCheck(string Operation, bool Allowed, IReadOnlyList<string> RequiredPermissions, string Detail);
