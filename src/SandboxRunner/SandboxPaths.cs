namespace SandboxRunner;

/// <summary>
/// The paths every sandbox offers its program, whatever the backend.
/// </summary>
public static class SandboxPaths
{
    /// <summary>
    /// The workspace: the default working directory, owned by the run user, writable and executable,
    /// holding the request's files. A run without files gets a memory-backed workspace capped at
    /// <see cref="SandboxLimits.WorkspaceSizeBytes"/>, and so does a run in a warm sandbox (its files arrive
    /// while the sandbox runs). A cold run with files gets a disk-backed one (an engine refuses uploads into
    /// memory-backed mounts before start): there the limit caps the files uploaded, and
    /// <see cref="SandboxLimits.MaxFileSizeBytes"/> caps each file the program writes.
    /// </summary>
    public const string Workspace = "/sandbox/work";

    /// <summary>The scratch directory: owned by the run user, writable, not executable, capped by <see cref="SandboxLimits.TmpSizeBytes"/>.</summary>
    public const string Tmp = "/tmp";
}
