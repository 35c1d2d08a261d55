using SandboxRunner.Validation;

namespace SandboxRunner.Tests.Validation;

[TestFixture]
[Category("Unit")]
public sealed class RequestValidatorFilesTests
{
    private static SandboxRequest WithFiles(params SandboxFile[] files) =>
        new() { Image = "busybox", Command = ["true"], Files = files };

    private static SandboxFile File(string path, int size = 1) => new(path, new byte[size]);

    private static ArgumentException Invalid(SandboxRequest request, SandboxRunnerOptions? options = null) =>
        Assert.Throws(Is.InstanceOf<ArgumentException>(), () => RequestValidator.Validate(request, options ?? new SandboxRunnerOptions())) as ArgumentException
        ?? throw new AssertionException("no ArgumentException");

    [TestCase("/etc/passwd")]
    [TestCase("~/x")]
    [TestCase("..")]
    [TestCase("../x")]
    [TestCase("a/../../x")]
    [TestCase(".")]
    [TestCase("./a")]
    [TestCase("a//b")]
    [TestCase("a/")]
    [TestCase("a\\b")]
    [TestCase("a\nb")]
    [TestCase("a\tb")]
    [TestCase("a\u007Fb")]
    [TestCase("")]
    public void Validate_BadFilePath_ThrowsForThatFilesPath(string path)
    {
        var error = Invalid(WithFiles(File("ok.txt"), File(path)));

        Assert.That(error.ParamName, Is.EqualTo("request.Files[1].Path"));
    }

    [Test]
    public void Validate_SegmentLongerThan255Bytes_ThrowsForPath()
    {
        var error = Invalid(WithFiles(File("dir/" + new string('a', 256))));

        Assert.That(error.ParamName, Is.EqualTo("request.Files[0].Path"));
    }

    [Test]
    public void Validate_SegmentOf255Bytes_IsAccepted()
    {
        var path = "dir/" + new string('a', 255);

        var plan = RequestValidator.Validate(WithFiles(File(path)), new SandboxRunnerOptions());

        Assert.That(plan.Files[0].Path, Is.EqualTo(path));
    }

    [Test]
    public void Validate_SegmentLengthCountsUtf8Bytes()
    {
        // 100 characters of two bytes each are 200 bytes: fine; 128 are 256 bytes: too long.
        Assert.Multiple(() =>
        {
            Assert.That(() => RequestValidator.Validate(WithFiles(File(new string('é', 100))), new SandboxRunnerOptions()), Throws.Nothing);
            Assert.That(Invalid(WithFiles(File(new string('é', 128)))).ParamName, Is.EqualTo("request.Files[0].Path"));
        });
    }

    [Test]
    public void Validate_PathLongerThan1024Characters_ThrowsForPath()
    {
        var path = string.Join('/', Enumerable.Repeat(new string('a', 100), 11));

        var error = Invalid(WithFiles(File(path)));

        Assert.That(error.ParamName, Is.EqualTo("request.Files[0].Path"));
    }

    [Test]
    public void Validate_DuplicatePath_ThrowsForTheSecond()
    {
        var error = Invalid(WithFiles(File("main.py"), File("lib.py"), File("main.py")));

        Assert.That(error.ParamName, Is.EqualTo("request.Files[2].Path"));
    }

    [Test]
    public void Validate_FileThenFileBelowIt_ThrowsForTheSecond()
    {
        var error = Invalid(WithFiles(File("a"), File("a/b")));

        Assert.That(error.ParamName, Is.EqualTo("request.Files[1].Path"));
    }

    [Test]
    public void Validate_FileBelowThenFileAsItsDirectory_ThrowsForTheSecond()
    {
        var error = Invalid(WithFiles(File("a/b/c"), File("a/b")));

        Assert.That(error.ParamName, Is.EqualTo("request.Files[1].Path"));
    }

    [Test]
    public void Validate_SiblingsInOneDirectory_AreAccepted()
    {
        var plan = RequestValidator.Validate(WithFiles(File("src/a.py"), File("src/b.py"), File("src/pkg/c.py")), new SandboxRunnerOptions());

        Assert.That(plan.Files.Select(f => f.Path), Is.EqualTo(new[] { "src/a.py", "src/b.py", "src/pkg/c.py" }));
    }

    [Test]
    public void Validate_NullFile_ThrowsForThatFile()
    {
        var error = Invalid(WithFiles(File("a"), null!));

        Assert.That(error.ParamName, Does.StartWith("request.Files[1]"));
    }

    [Test]
    public void Validate_FilesAboveWorkspaceSize_ThrowsForFiles()
    {
        var limits = new SandboxLimits { WorkspaceSizeBytes = LimitMinimums.WorkspaceSizeBytes };
        var half = (int)(LimitMinimums.WorkspaceSizeBytes / 2);
        var request = WithFiles(File("a", half), File("b", half + 1)) with { Limits = limits };

        var error = Invalid(request);

        Assert.That(error.ParamName, Is.EqualTo("request.Files"));
    }

    [Test]
    public void Validate_FilesFillingWorkspaceExactly_AreAccepted()
    {
        var limits = new SandboxLimits { WorkspaceSizeBytes = LimitMinimums.WorkspaceSizeBytes };
        var half = (int)(LimitMinimums.WorkspaceSizeBytes / 2);
        var request = WithFiles(File("a", half), File("b", half)) with { Limits = limits };

        var plan = RequestValidator.Validate(request, new SandboxRunnerOptions());

        Assert.That(plan.Files, Has.Count.EqualTo(2));
    }

    [Test]
    public void Validate_ExecutableFlagAndContent_AreKept()
    {
        var file = new SandboxFile("run.sh", new byte[] { 1, 2, 3 }, Executable: true);

        var plan = RequestValidator.Validate(WithFiles(file), new SandboxRunnerOptions());

        Assert.Multiple(() =>
        {
            Assert.That(plan.Files[0].Executable, Is.True);
            Assert.That(plan.Files[0].Content.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }));
        });
    }
}
