using System.Formats.Tar;
using System.Text;
using SandboxRunner.Docker;
using SandboxRunner.Validation;

namespace SandboxRunner.Tests.Docker;

[TestFixture]
[Category("Unit")]
public sealed class WorkspaceArchiveTests
{
    private const UnixFileMode Mode0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Mode0755 = Mode0644 | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private static readonly RunUser User = new(1000, 2000);
    private static readonly DateTimeOffset Modified = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static List<(TarEntry Entry, byte[]? Data)> Read(params SandboxFile[] files) => Read(WorkspaceMount.DiskVolume, files);

    private static List<(TarEntry Entry, byte[]? Data)> Read(WorkspaceMount mount, params SandboxFile[] files)
    {
        using var archive = WorkspaceArchive.Build(files, User, Modified, mount);
        Assert.That(archive.Position, Is.Zero, "the archive is rewound for upload");
        var entries = new List<(TarEntry, byte[]?)>();
        using var reader = new TarReader(archive);
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            byte[]? data = null;
            if (entry.DataStream is { } stream)
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                data = copy.ToArray();
            }

            entries.Add((entry, data));
        }

        return entries;
    }

    [Test]
    public void Build_NoFiles_HoldsOnlyTheWorkspaceOwnedByTheUser()
    {
        var entries = Read();

        var workspace = entries.Single().Entry;
        Assert.Multiple(() =>
        {
            Assert.That(workspace.Name, Is.EqualTo("work/"));
            Assert.That(workspace.EntryType, Is.EqualTo(TarEntryType.Directory));
            Assert.That((workspace.Uid, workspace.Gid), Is.EqualTo((1000, 2000)));
            Assert.That(workspace.Mode, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        });
    }

    [Test]
    public void Build_WorkspaceDirectory_MatchesSandboxPathsUnderTheVolume()
    {
        var name = Read()[0].Entry.Name;

        Assert.That(ContainerSpecFactory.VolumeRoot + "/" + name.TrimEnd('/'), Is.EqualTo(SandboxPaths.Workspace));
    }

    [Test]
    public void Build_Files_AreWrittenUnderTheWorkspaceWithExactContent()
    {
        var binary = new byte[] { 0, 1, 2, 255, 254 };

        var entries = Read(SandboxFile.FromText("main.py", "print('hé')\n"), new SandboxFile("data.bin", binary));

        var files = entries.Where(e => e.Entry.EntryType == TarEntryType.RegularFile).ToDictionary(e => e.Entry.Name, e => e.Data);
        Assert.Multiple(() =>
        {
            Assert.That(files.Keys, Is.EquivalentTo(new[] { "work/main.py", "work/data.bin" }));
            Assert.That(files["work/main.py"], Is.EqualTo(Encoding.UTF8.GetBytes("print('hé')\n")));
            Assert.That(files["work/data.bin"], Is.EqualTo(binary));
        });
    }

    [Test]
    public void Build_Files_ModesAreReadableOrExecutableAndOwnedByTheUser()
    {
        var entries = Read(SandboxFile.FromText("plain.txt", "x"), SandboxFile.FromText("run.sh", "#!/bin/sh", executable: true));

        var plain = entries.Single(e => e.Entry.Name == "work/plain.txt").Entry;
        var script = entries.Single(e => e.Entry.Name == "work/run.sh").Entry;
        Assert.Multiple(() =>
        {
            Assert.That(plain.Mode, Is.EqualTo(Mode0644));
            Assert.That(script.Mode, Is.EqualTo(Mode0755));
            Assert.That((plain.Uid, plain.Gid, script.Uid, script.Gid), Is.EqualTo((1000, 2000, 1000, 2000)));
            Assert.That(plain.ModificationTime, Is.EqualTo(Modified));
        });
    }

    [Test]
    public void Build_NestedFiles_CreateEachParentDirectoryOnceBeforeItsFiles()
    {
        var entries = Read(
            SandboxFile.FromText("src/pkg/a.py", "a"),
            SandboxFile.FromText("src/pkg/b.py", "b"),
            SandboxFile.FromText("src/c.py", "c"));

        var names = entries.Select(e => e.Entry.Name).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EqualTo(new[] { "work/", "work/src/", "work/src/pkg/", "work/src/pkg/a.py", "work/src/pkg/b.py", "work/src/c.py" }));
            Assert.That(
                entries.Where(e => e.Entry.EntryType == TarEntryType.Directory).Select(e => (e.Entry.Uid, e.Entry.Gid)),
                Is.All.EqualTo((1000, 2000)));
        });
    }

    [Test]
    public void Build_EmptyFile_IsAnEmptyRegularFile()
    {
        var entries = Read(new SandboxFile("empty", ReadOnlyMemory<byte>.Empty));

        var empty = entries.Single(e => e.Entry.Name == "work/empty");
        Assert.Multiple(() =>
        {
            Assert.That(empty.Entry.EntryType, Is.EqualTo(TarEntryType.RegularFile));
            Assert.That(empty.Entry.Length, Is.Zero);
        });
    }

    [Test]
    public void Build_ContentIsASliceOfALargerArray_WritesOnlyTheSlice()
    {
        var backing = Encoding.ASCII.GetBytes("xxHELLOyy");

        var entries = Read(new SandboxFile("slice", backing.AsMemory(2, 5)));

        Assert.That(entries.Single(e => e.Entry.Name == "work/slice").Data, Is.EqualTo(Encoding.ASCII.GetBytes("HELLO")));
    }

    [Test]
    public void Build_MemoryVolume_IsRootedAtTheWorkspaceWithoutItsDirectory()
    {
        var entries = Read(WorkspaceMount.MemoryVolume, SandboxFile.FromText("src/a.py", "a"), SandboxFile.FromText("b.py", "b"));

        Assert.Multiple(() =>
        {
            Assert.That(entries.Select(e => e.Entry.Name), Is.EqualTo(new[] { "src/", "src/a.py", "b.py" }), "the mount options own the workspace");
            Assert.That(entries.Select(e => (e.Entry.Uid, e.Entry.Gid)), Is.All.EqualTo((1000, 2000)));
            Assert.That(ContainerSpecFactory.UploadPath(WorkspaceMount.MemoryVolume), Is.EqualTo(SandboxPaths.Workspace));
        });
    }

    [Test]
    public void Build_TmpfsWorkspace_TakesNoUpload()
    {
        Assert.That(
            () => WorkspaceArchive.Build([SandboxFile.FromText("a", "a")], User, Modified, WorkspaceMount.Tmpfs),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentOutOfRangeException.ParamName)).EqualTo("mount"));
    }
}
