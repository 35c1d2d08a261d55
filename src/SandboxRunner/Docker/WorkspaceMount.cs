namespace SandboxRunner.Docker;

/// <summary>
/// How a sandbox's workspace is mounted, which decides where the request's files are uploaded and how their
/// archive is rooted. The engine refuses uploads into a tmpfs under a read-only root, and loses uploads into a
/// memory-backed volume made before start (the volume is mounted only at start): so a cold run with files gets
/// a disk-backed volume, and a warm sandbox, which receives its files while it runs, a memory-backed one.
/// </summary>
internal enum WorkspaceMount
{
    /// <summary>A capped tmpfs at the workspace: no files can be uploaded into it.</summary>
    Tmpfs,

    /// <summary>
    /// An anonymous disk-backed volume at <see cref="ContainerSpecFactory.VolumeRoot"/>, with the workspace inside it
    /// created by the upload (the volume's root stays root-owned); uploads work before start.
    /// </summary>
    DiskVolume,

    /// <summary>
    /// An anonymous volume of the local driver backed by a capped tmpfs, at the workspace itself and owned by the
    /// run user through its mount options; uploads work while the sandbox runs.
    /// </summary>
    MemoryVolume,
}
