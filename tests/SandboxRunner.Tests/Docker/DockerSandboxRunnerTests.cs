using System.Text;
using global::Docker.DotNet.Models;
using SandboxRunner.Docker;
using SandboxRunner.Tests.Fakes;

namespace SandboxRunner.Tests.Docker;

[TestFixture]
[Category("Unit")]
[CancelAfter(30_000)]
public sealed class DockerSandboxRunnerTests
{
    private const string Id = FakeContainerOperations.ContainerId;

    [Test]
    public async Task RunAsync_ProgramExits_CallsTheEngineInOrderAndRemovesTheSandbox(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();

        var result = await harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(harness.Client.CallNames, Is.EqualTo(new[]
            {
                EngineOps.ImageInspect, EngineOps.Create, EngineOps.Attach, EngineOps.Start, EngineOps.Wait, EngineOps.Remove,
            }));
            Assert.That(harness.Client.Calls.Where(c => c.Operation is not EngineOps.ImageInspect and not EngineOps.Create).Select(c => c.Id), Has.All.EqualTo(Id));
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Exited));
            Assert.That(result.SandboxId, Is.EqualTo(Id));
            Assert.That(result.ImageId, Is.EqualTo(FakeImageOperations.ImageId));
            Assert.That(result.CleanupFailed, Is.False);
        });
    }

    [Test]
    public async Task RunAsync_CreateRequest_IsHardenedNamedAndLabelled(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Options.Labels["team"] = "judge";

        await harness.Runner.RunAsync(RunnerHarness.Request("python3", "-c", "pass"), cancellationToken);

        var create = harness.Client.ParametersOf<CreateContainerParameters>(EngineOps.Create).Single();
        Assert.Multiple(() =>
        {
            Assert.That(create.Name, Does.Match("^sandboxrunner-[0-9a-f]{32}$"));
            Assert.That(create.Labels![SandboxLabels.RunId], Is.EqualTo(create.Name!["sandboxrunner-".Length..]));
            Assert.That(create.Labels[SandboxLabels.Managed], Is.EqualTo("true"));
            Assert.That(create.Labels["team"], Is.EqualTo("judge"));
            Assert.That(create.HostConfig!.NetworkMode, Is.EqualTo("none"));
            Assert.That(create.User, Is.EqualTo("65534:65534"));
            Assert.That(create.Cmd, Is.EqualTo(new[] { "python3", "-c", "pass" }));
        });
    }

    [Test]
    public async Task RunAsync_Output_IsDemultiplexedIntoStdoutAndStderr(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Containers.OnAttach = (_, _, _) => Task.FromResult(DockerFrames.Stream(
            (DockerFrames.StandardOutput, "hello "u8.ToArray()),
            (DockerFrames.StandardError, "oops"u8.ToArray()),
            (DockerFrames.StandardOutput, "world"u8.ToArray())));

        var result = await harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("hello world"));
            Assert.That(result.StandardErrorText, Is.EqualTo("oops"));
            Assert.That(result.StandardOutputTruncated, Is.False);
            Assert.That(result.StandardErrorTruncated, Is.False);
        });
    }

    [Test]
    public async Task RunAsync_OutputAboveLimit_IsCutAndReported(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        var big = Enumerable.Repeat((byte)'x', 3000).ToArray();
        harness.Client.Containers.OnAttach = (_, _, _) => Task.FromResult(DockerFrames.Stream((DockerFrames.StandardOutput, big)));
        var request = RunnerHarness.Request() with { Limits = new SandboxLimits { MaxOutputBytes = 1024 } };

        var result = await harness.Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.OutputLimitExceeded));
            Assert.That(result.StandardOutput.Length, Is.EqualTo(1024));
            Assert.That(result.StandardOutputTruncated, Is.True);
            Assert.That(result.StandardErrorTruncated, Is.False);
        });
    }

    [Test]
    public async Task RunAsync_NonZeroExit_IsCompletedWithoutInspect(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Containers.OnWait = (_, _) => Task.FromResult(new ContainerWaitResponse { StatusCode = 1 });

        var result = await harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(harness.Client.Count(EngineOps.Inspect), Is.Zero);
        });
    }

    [Test]
    public async Task RunAsync_KilledAndOomKilled_IsOutOfMemory(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Containers.OnWait = (_, _) => Task.FromResult(new ContainerWaitResponse { StatusCode = 137 });
        harness.Client.Containers.OnInspect = (id, _) => Task.FromResult(new ContainerInspectResponse { ID = id, State = new State { Status = "exited", ExitCode = 137, OOMKilled = true } });

        var result = await harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.OutOfMemory));
            Assert.That(result.ExitCode, Is.EqualTo(137));
            Assert.That(harness.Client.CallNames, Is.EqualTo(new[]
            {
                EngineOps.ImageInspect, EngineOps.Create, EngineOps.Attach, EngineOps.Start, EngineOps.Wait, EngineOps.Inspect, EngineOps.Remove,
            }));
        });
    }

    [Test]
    public async Task RunAsync_KilledButNotOomKilled_IsCompleted(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Containers.OnWait = (_, _) => Task.FromResult(new ContainerWaitResponse { StatusCode = 137 });

        var result = await harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
            Assert.That(harness.Client.Count(EngineOps.Inspect), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_WithFiles_UploadsTheWorkspaceBeforeAttach(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        var request = RunnerHarness.Request("python3", "main.py") with { Files = [SandboxFile.FromText("main.py", "print(1)")] };

        await harness.Runner.RunAsync(request, cancellationToken);

        var upload = harness.Client.Calls.Single(c => c.Operation == EngineOps.Upload);
        Assert.Multiple(() =>
        {
            Assert.That(harness.Client.CallNames, Is.EqualTo(new[]
            {
                EngineOps.ImageInspect, EngineOps.Create, EngineOps.Upload, EngineOps.Attach, EngineOps.Start, EngineOps.Wait, EngineOps.Remove,
            }));
            Assert.That(upload.Id, Is.EqualTo(Id));
            Assert.That(((CopyToContainerParameters)upload.Parameters!).Path, Is.EqualTo(ContainerSpecFactory.VolumeRoot));
            Assert.That(Encoding.UTF8.GetString(harness.Client.Containers.LastUpload!), Does.Contain("work/main.py").And.Contain("print(1)"));
        });
    }

    [Test]
    public async Task RunAsync_WithInput_AttachesStdinAndWritesIt(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        var written = new CapturingStream();
        ContainerAttachParameters? attach = null;
        harness.Client.Containers.OnAttach = (_, parameters, _) =>
        {
            attach = parameters;
            return Task.FromResult(new global::Docker.DotNet.MultiplexedStream(written, multiplexed: true));
        };

        await harness.Runner.RunAsync(RunnerHarness.Request("cat") with { StandardInput = "input"u8.ToArray() }, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(attach, Is.Not.Null);
            Assert.That(attach!.Stdin, Is.True);
            Assert.That(attach.Stream, Is.True);
            Assert.That(written.Written, Is.EqualTo("input"u8.ToArray()));
        });
    }

    [Test]
    public async Task RunAsync_SameImageTwice_InspectsTheImageOnce(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();

        await harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken);
        await harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(harness.Client.Count(EngineOps.ImageInspect), Is.EqualTo(1));
            Assert.That(harness.Client.Count(EngineOps.Create), Is.EqualTo(2));
            Assert.That(harness.Client.Count(EngineOps.Remove), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task RunAsync_RemovalFails_ReportsCleanupFailedInTheResult(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Containers.OnRemove = (_, _, _) => Task.FromException(new global::Docker.DotNet.DockerApiException(System.Net.HttpStatusCode.BadRequest, "no"));

        var result = await harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.CleanupFailed, Is.True);
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
        });
    }

    [Test]
    public async Task DisposeAsync_ReleasesTheClientSourceOnceAndRefusesLaterRuns(CancellationToken cancellationToken)
    {
        var harness = new RunnerHarness();
        await harness.Runner.DisposeAsync();
        await harness.Runner.DisposeAsync();

        Assert.Multiple(() =>
        {
            Assert.That(harness.Source.Disposals, Is.EqualTo(1));
            Assert.That(() => harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken), Throws.TypeOf<ObjectDisposedException>());
        });
        await harness.DisposeAsync();
    }

    [Test]
    public void Constructor_InvalidOptions_Throws()
    {
        using var client = new FakeDockerClient();

        Assert.That(
            () => new DockerSandboxRunner(new SandboxRunnerOptions { User = "0:0" }, new FakeDockerClientSource(client)),
            Throws.TypeOf<Microsoft.Extensions.Options.OptionsValidationException>());
    }

    /// <summary>An attach stream that ends at once and records what is written to it.</summary>
    private sealed class CapturingStream : MemoryStream
    {
        private readonly MemoryStream _written = new();

        public byte[] Written => _written.ToArray();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _written.Write(buffer, offset, count);
            return Task.CompletedTask;
        }
    }
}
