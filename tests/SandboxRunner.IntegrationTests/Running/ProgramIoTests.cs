using System.Security.Cryptography;
using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Running;

/// <summary>What goes into a program (command, input, environment) and what comes out (output, exit code, timings).</summary>
[TestFixtureSource(typeof(EngineEndpoint), nameof(EngineEndpoint.All))]
[Category("Integration")]
public sealed class ProgramIoTests(EngineEndpoint endpoint) : SandboxFixture(endpoint)
{
    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_HelloWorldInPython_CompletesWithOutputIdsAndTimings(CancellationToken cancellationToken)
    {
        var result = await Runner.RunAsync(Python("print('hello')"), cancellationToken);

        var timings = result.Timings;
        var phases = timings.Image + timings.Create + timings.Start + timings.Run + timings.Cleanup;
        var pythonImageId = await DockerCli.ImageIdAsync(TestRun.PythonImage);
        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("hello\n"), Describe(result));
            Assert.That(result.StandardError.Length, Is.Zero, Describe(result));
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Exited));
            Assert.That(result.StandardOutputTruncated, Is.False);
            Assert.That(result.StandardErrorTruncated, Is.False);
            Assert.That(result.CleanupFailed, Is.False);
            Assert.That(result.SandboxId, Does.Match("^[0-9a-f]{64}$"), "the container id");
            Assert.That(result.ImageId, Is.EqualTo(pythonImageId), "the id of the image the program ran from");
            Assert.That(timings.Image, Is.GreaterThanOrEqualTo(TimeSpan.Zero));
            Assert.That(timings.Create, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(timings.Start, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(timings.Run, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(timings.Cleanup, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(timings.Total, Is.GreaterThanOrEqualTo(phases - TimeSpan.FromMilliseconds(5)), "the whole call spans its phases");
            Assert.That(timings.Total, Is.LessThan(TimeSpan.FromSeconds(30)));
        });
        Assert.That(await DockerCli.ContainerExistsAsync(result.SandboxId), Is.False, "the sandbox is removed before RunAsync returns");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_StandardInput_IsReadByPython(CancellationToken cancellationToken)
    {
        var request = Python("import sys\ndata = sys.stdin.read()\nprint(len(data), data.upper(), end='')") with
        {
            StandardInput = Utf8("line one\nline two\n"),
        };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("18 LINE ONE\nLINE TWO\n"), Describe(result));
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
            Assert.That(result.ExitCode, Is.Zero);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_WithoutStandardInput_ProgramReadsEndOfFileAtOnce(CancellationToken cancellationToken)
    {
        var result = await Runner.RunAsync(Python("import sys\nprint(repr(sys.stdin.read()))") with { Timeout = TimeSpan.FromSeconds(20) }, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("''\n"), Describe(result));
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task RunAsync_FourMebibytesThroughCat_ComeBackByteIdentical(CancellationToken cancellationToken)
    {
        var input = new byte[4 * 1024 * 1024];
        new Random(20240601).NextBytes(input);
        var request = new SandboxRequest
        {
            Image = TestRun.BusyboxImage,
            Command = ["cat"],
            StandardInput = input,
            Limits = new SandboxLimits { MaxOutputBytes = OutputCeilingBytes },
        };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed), $"status {result.Status}, exit {result.ExitCode}, stderr '{result.StandardErrorText}'");
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(result.StandardOutputTruncated, Is.False);
            Assert.That(result.StandardOutput.Length, Is.EqualTo(input.Length));
            Assert.That(SHA256.HashData(result.StandardOutput.Span), Is.EqualTo(SHA256.HashData(input)), "the bytes that came back differ");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_EnvironmentVariables_AreVisibleToTheProgram(CancellationToken cancellationToken)
    {
        var request = Python("import os\nprint(os.environ['GREETING'] + '|' + os.environ['WITH_SPACES'] + '|' + os.environ['EMPTY'] + '|')") with
        {
            Environment = new Dictionary<string, string>
            {
                ["GREETING"] = "grüezi",
                ["WITH_SPACES"] = "a b=c",
                ["EMPTY"] = string.Empty,
            },
        };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("grüezi|a b=c||\n"), Describe(result));
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_ProgramWritesBothStreams_StandardOutputAndErrorAreKeptApart(CancellationToken cancellationToken)
    {
        var code = "import sys\nfor i in range(3):\n    print('out', i, flush=True)\n    print('err', i, file=sys.stderr, flush=True)";

        var result = await Runner.RunAsync(Python(code), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("out 0\nout 1\nout 2\n"), Describe(result));
            Assert.That(result.StandardErrorText, Is.EqualTo("err 0\nerr 1\nerr 2\n"), Describe(result));
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_NonZeroExitCode_IsPassedThroughAsCompleted(CancellationToken cancellationToken)
    {
        var result = await Runner.RunAsync(Python("import sys\nprint('failing', file=sys.stderr)\nsys.exit(42)"), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(42), Describe(result));
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Exited));
            Assert.That(result.StandardErrorText, Is.EqualTo("failing\n"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_UncaughtPythonException_IsCompletedWithExitCodeOneAndTraceback(CancellationToken cancellationToken)
    {
        var result = await Runner.RunAsync(Python("raise ValueError('boom')"), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), Describe(result));
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
            Assert.That(result.StandardErrorText, Does.Contain("ValueError: boom"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_LargeStandardInputProgramDoesNotRead_CompletesWithoutHanging(CancellationToken cancellationToken)
    {
        var request = new SandboxRequest
        {
            Image = TestRun.BusyboxImage,
            Command = ["sh", "-c", "echo ignoring input; exit 3"],
            StandardInput = new byte[4 * 1024 * 1024],
            Timeout = TimeSpan.FromSeconds(20),
        };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed), Describe(result));
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.StandardOutputText, Is.EqualTo("ignoring input\n"));
            Assert.That(result.Timings.Run, Is.LessThan(TimeSpan.FromSeconds(10)));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_ProgramNotFound_CompletesWithExitCode127(CancellationToken cancellationToken)
    {
        var result = await Runner.RunAsync(new SandboxRequest { Command = ["no-such-program", "x"] }, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed), Describe(result));
            Assert.That(result.ExitCode, Is.EqualTo(127));
            Assert.That(result.StandardErrorText, Does.Contain("no-such-program"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_ProgramNotExecutable_CompletesWithExitCode126(CancellationToken cancellationToken)
    {
        var request = new SandboxRequest { Command = ["./data.txt"], Files = [SandboxFile.FromText("data.txt", "not a program")] };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed), Describe(result));
            Assert.That(result.ExitCode, Is.EqualTo(126));
        });
    }
}
