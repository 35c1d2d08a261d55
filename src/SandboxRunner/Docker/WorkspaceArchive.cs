using System.Formats.Tar;
using SandboxRunner.Validation;

namespace SandboxRunner.Docker;

/// <summary>
/// Builds the tar archive uploaded into a run's volume: the request's files with their parent directories,
/// owned by the run user, and, for a disk-backed volume, the workspace directory itself. Ownership comes
/// from the tar headers (the engine's copyUIDGID flag fails for a numeric user without a passwd entry).
/// </summary>
internal static class WorkspaceArchive
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode ExecutableMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// The archive, rooted at <see cref="ContainerSpecFactory.UploadPath"/> of <paramref name="mount"/>: for a
    /// disk-backed volume, the volume's root (the workspace is a directory of the archive); for a memory-backed
    /// volume, the workspace itself (its mount options own it to the run user).
    /// </summary>
    public static MemoryStream Build(IReadOnlyList<SandboxFile> files, RunUser user, DateTimeOffset modified, WorkspaceMount mount)
    {
        var root = mount switch
        {
            WorkspaceMount.DiskVolume => SandboxPaths.Workspace[(ContainerSpecFactory.VolumeRoot.Length + 1)..] + "/",
            WorkspaceMount.MemoryVolume => string.Empty,
            _ => throw new ArgumentOutOfRangeException(nameof(mount), mount, "A tmpfs workspace takes no upload."),
        };
        var stream = new MemoryStream(EstimateSize(files));
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            var written = new HashSet<string>(StringComparer.Ordinal);
            if (root.Length > 0)
            {
                WriteDirectory(writer, root[..^1], user, modified, written);
            }

            foreach (var file in files)
            {
                var path = root + file.Path;
                for (var slash = path.IndexOf('/', root.Length); slash > 0; slash = path.IndexOf('/', slash + 1))
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
