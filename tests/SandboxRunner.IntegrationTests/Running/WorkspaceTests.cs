using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Running;

/// <summary>The request's files in the workspace, and the workspace as the program's writable working directory.</summary>
[TestFixtureSource(typeof(EngineEndpoint), nameof(EngineEndpoint.All))]
[Category("Integration")]
public sealed class WorkspaceTests(EngineEndpoint endpoint) : SandboxFixture(endpoint)
{
    private const string WriteAndReadBack =
        "import os\nopen('written.txt', 'w').write('written here')\nprint(os.getcwd(), open('written.txt').read(), sorted(os.listdir('.')))";

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_FilesAtNestedPaths_AreReadableFromTheWorkspace(CancellationToken cancellationToken)
    {
        var request = new SandboxRequest
        {
            Command = ["python3", "main.py"],
            Files =
            [
                SandboxFile.FromText("main.py", "from pkg.helper import greet\nprint(greet(open('data/deep/er/input.txt').read()))\n"),
                SandboxFile.FromText("pkg/__init__.py", string.Empty),
                SandboxFile.FromText("pkg/helper.py", "def greet(name):\n    return 'hello ' + name.strip()\n"),
                SandboxFile.FromText("data/deep/er/input.txt", "nested world\n"),
            ],
        };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("hello nested world\n"), Describe(result));
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_BinaryFile_IsPlacedByteExact(CancellationToken cancellationToken)
    {
        var content = new byte[70_000];
        for (var i = 0; i < content.Length; i++)
        {
            content[i] = (byte)((i * 7) ^ (i >> 8));
        }

        var request = new SandboxRequest
        {
            Command = ["python3", "-c", "import sys\nsys.stdout.buffer.write(open('bin/blob.bin', 'rb').read())"],
            Files = [new SandboxFile("bin/blob.bin", content)],
        };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed), $"exit {result.ExitCode}, stderr '{result.StandardErrorText}'");
            Assert.That(result.StandardOutput.ToArray(), Is.EqualTo(content));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_ExecutableFlag_ScriptRunsDirectlyAndModesAreSet(CancellationToken cancellationToken)
    {
        var request = new SandboxRequest
        {
            Image = TestRun.BusyboxImage,
            Command = ["./script.sh", "arg one"],
            Files =
            [
                SandboxFile.FromText("script.sh", "#!/bin/sh\necho \"script ran with [$1] as $(id -u)\"\nstat -c '%a %n' script.sh plain.txt\n", executable: true),
                SandboxFile.FromText("plain.txt", "not a program\n"),
            ],
        };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("script ran with [arg one] as 65534\n755 script.sh\n644 plain.txt\n"), Describe(result));
            Assert.That(result.ExitCode, Is.Zero);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_FileWithoutExecutableFlag_CannotBeExecuted(CancellationToken cancellationToken)
    {
        var request = new SandboxRequest
        {
            Image = TestRun.BusyboxImage,
            Command = ["sh", "-c", "./script.sh; echo \"exit $?\""],
            Files = [SandboxFile.FromText("script.sh", "#!/bin/sh\necho ran\n")],
        };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("exit 126\n"), Describe(result));
            Assert.That(result.StandardErrorText, Does.Contain("Permission denied"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_WithFiles_WorkspaceIsTheWritableWorkingDirectory(CancellationToken cancellationToken)
    {
        var request = Python(WriteAndReadBack) with { Files = [SandboxFile.FromText("given.txt", "x")] };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo($"{SandboxPaths.Workspace} written here ['given.txt', 'written.txt']\n"), Describe(result));
            Assert.That(result.ExitCode, Is.Zero);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_WithoutFiles_WorkspaceIsTheWritableWorkingDirectory(CancellationToken cancellationToken)
    {
        var result = await Runner.RunAsync(Python(WriteAndReadBack), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo($"{SandboxPaths.Workspace} written here ['written.txt']\n"), Describe(result));
            Assert.That(result.ExitCode, Is.Zero);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_WorkspaceWithoutFiles_AllowsExecutingWhatTheProgramWrites(CancellationToken cancellationToken)
    {
        var script = "printf '#!/bin/sh\\necho made here\\n' > made.sh && chmod +x made.sh && ./made.sh";

        var result = await Runner.RunAsync(Shell(script), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("made here\n"), Describe(result));
            Assert.That(result.ExitCode, Is.Zero);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_WorkingDirectorySet_ProgramStartsThere(CancellationToken cancellationToken)
    {
        var result = await Runner.RunAsync(Python("import os\nprint(os.getcwd())") with { WorkingDirectory = "/tmp" }, cancellationToken);

        Assert.That(result.StandardOutputText, Is.EqualTo("/tmp\n"), Describe(result));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_UnusualFiles_ArePlacedWithNameSizeAndContent(CancellationToken cancellationToken)
    {
        var large = new byte[8 * 1024 * 1024];
        new Random(7).NextBytes(large);
        var code = "import hashlib, os\nfor name in sorted(os.listdir('.')):\n    data = open(name, 'rb').read()\n    print(name, len(data), hashlib.sha256(data).hexdigest())";
        var request = Python(code) with
        {
            Files =
            [
                new SandboxFile("empty", ReadOnlyMemory<byte>.Empty),
                SandboxFile.FromText("données ünï.txt", "é"),
                new SandboxFile("large.bin", large),
            ],
        };

        var result = await Runner.RunAsync(request, cancellationToken);

        static string Line(string name, byte[] data) => $"{name} {data.Length} {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data))}\n";
        Assert.That(
            result.StandardOutputText,
            Is.EqualTo(Line("données ünï.txt", Utf8("é")) + Line("empty", []) + Line("large.bin", large)),
            Describe(result));
    }
}
