using System.Formats.Tar;
using SandboxRunner.Validation;

namespace SandboxRunner.Docker;

/// <summary>
/// Builds the tar archive uploaded into a run's volume: the workspace directory, owned by the run user,
/// and the request's files with their parent directories. Ownership comes from the tar headers (the
/// engine's copyUIDGID flag fails for a numeric user without a passwd entry).
/// </summary>
internal static class WorkspaceArchive
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ExecutableMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The archive, rooted at <see cref="ContainerSpecFactory.VolumeRoot"/>.</summary>
    public static MemoryStream Build(IReadOnlyList<SandboxFile> files, RunUser user, DateTimeOffset modified)
    {
        var workspace = SandboxPaths.Workspace[(ContainerSpecFactory.VolumeRoot.Length + 1)..];
        var stream = new MemoryStream(EstimateSize(files));
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            var written = new HashSet<string>(StringComparer.Ordinal);
            WriteDirectory(writer, workspace, user, modified, written);
            foreach (var file in files)
            {
                var path = workspace + "/" + file.Path;
                for (var slash = path.IndexOf('/', workspace.Length + 1); slash > 0; slash = path.IndexOf('/', slash + 1))
                {
                    WriteDirectory(writer, path[..slash], user, modified, written);
                }

                var entry = new PaxTarEntry(TarEntryType.RegularFile, path)
                {
                    Uid = user.Uid,
                    Gid = user.Gid,
                    Mode = file.Executable ? ExecutableMode : FileMode,
                    ModificationTime = modified,
                    DataStream = AsStream(file.Content),
                };
                writer.WriteEntry(entry);
            }
        }

        stream.Position = 0;
        return stream;
    }

    private static void WriteDirectory(TarWriter writer, string path, RunUser user, DateTimeOffset modified, HashSet<string> written)
    {
        if (!written.Add(path))
        {
            return;
        }

        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, path + "/")
        {
            Uid = user.Uid,
            Gid = user.Gid,
            Mode = DirectoryMode,
            ModificationTime = modified,
        });
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);

    private static int EstimateSize(IReadOnlyList<SandboxFile> files)
    {
        long total = 4096;
        foreach (var file in files)
        {
            total += 2048 + file.Content.Length + 512;
        }

        return (int)Math.Min(total, int.MaxValue);
    }
}
