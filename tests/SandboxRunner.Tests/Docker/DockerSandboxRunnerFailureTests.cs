using System.Net;
using global::Docker.DotNet;
using global::Docker.DotNet.Models;
using SandboxRunner.Docker;
using SandboxRunner.Tests.Fakes;

namespace SandboxRunner.Tests.Docker;

[TestFixture]
[Category("Unit")]
[CancelAfter(30_000)]
public sealed class DockerSandboxRunnerFailureTests
{
    private const string Id = FakeContainerOperations.ContainerId;

    private static DockerApiException Status(HttpStatusCode status, string message = "boom") => new(status, "{\"message\":\"" + message + "\"}");

    [Test]
    public async Task RunAsync_InvalidRequest_ThrowsBeforeAnyEngineCall(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();

        var error = await Expect.ThrowsAsync<ArgumentException>(() => harness.Runner.RunAsync(RunnerHarness.Request() with { Command = [] }, cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(error.ParamName, Is.EqualTo("request.Command"));
            Assert.That(harness.Client.Calls, Is.Empty);
            Assert.That(harness.Source.Requests, Is.Zero);
        });
    }

    [Test]
    public async Task RunAsync_CreateFails_RemovesByNameAndThrowsEngineException(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Containers.OnCreate = (_, _) => Task.FromException<CreateContainerResponse>(Status(HttpStatusCode.InternalServerError, "no space left"));

        var error = await Expect.ThrowsAsync<SandboxEngineException>(() => harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken));

        var name = harness.Client.ParametersOf<CreateContainerParameters>(EngineOps.Create).Single().Name;
        var remove = harness.Client.Calls.Single(c => c.Operation == EngineOps.Remove);
        Assert.Multiple(() =>
        {
            Assert.That(error.Operation, Is.EqualTo(SandboxOperations.Create));
            Assert.That(error.StatusCode, Is.EqualTo(500));
            Assert.That(error.EngineMessage, Is.EqualTo("no space left"));
            Assert.That(error.InnerException, Is.TypeOf<DockerApiException>());
            Assert.That(remove.Id, Is.EqualTo(name).And.StartWith("sandboxrunner-"));
        });
    }

    [Test]
    public async Task RunAsync_CreateForbidden_ThrowsAccessDeniedNamingContainersAndPost(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Containers.OnCreate = (_, _) => Task.FromException<CreateContainerResponse>(new DockerApiException(HttpStatusCode.Forbidden, "<html>Forbidden</html>"));

        var error = await Expect.ThrowsAsync<SandboxAccessDeniedException>(() => harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(error.RequiredPermissions, Is.EqualTo(new[] { "CONTAINERS", "POST" }));
            Assert.That(error.Operation, Is.EqualTo(SandboxOperations.Create));
            Assert.That(harness.Client.Count(EngineOps.Remove), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_ImageInspectForbidden_ThrowsAccessDeniedAndCreatesNothing(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Images.OnInspect = (_, _) => Task.FromException<ImageInspectResponse>(new DockerApiException(HttpStatusCode.Forbidden, string.Empty));

        var error = await Expect.ThrowsAsync<SandboxAccessDeniedException>(() => harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(error.RequiredPermissions, Is.EqualTo(new[] { "IMAGES" }));
            Assert.That(harness.Client.CallNames, Is.EqualTo(new[] { EngineOps.ImageInspect }));
        });
    }

    [Test]
    public async Task RunAsync_CreateAnswers404_ForgetsTheImageEnsuresItAgainAndRetries(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        await harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken);
        var creates = 0;
        harness.Client.Containers.OnCreate = (_, _) => ++creates == 1
            ? Task.FromException<CreateContainerResponse>(Status(HttpStatusCode.NotFound, "No such image: busybox:1.36"))
            : Task.FromResult(new CreateContainerResponse { ID = Id });

        var result = await harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
            Assert.That(harness.Client.CallNames.Skip(6), Is.EqualTo(new[]
            {
                EngineOps.Create, EngineOps.ImageInspect, EngineOps.Create, EngineOps.Attach, EngineOps.Start, EngineOps.Wait, EngineOps.Remove,
            }));
        });
    }

    [Test]
    public async Task RunAsync_UploadFails_RemovesTheSandboxAndThrows(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Containers.OnUpload = (_, _, _, _) => Task.FromException(Status(HttpStatusCode.InternalServerError));
        var request = RunnerHarness.Request() with { Files = [SandboxFile.FromText("a", "b")] };

        var error = await Expect.ThrowsAsync<SandboxEngineException>(() => harness.Runner.RunAsync(request, cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(error.Operation, Is.EqualTo(SandboxOperations.Upload));
            Assert.That(error.SandboxId, Is.EqualTo(Id));
            Assert.That(harness.Client.Calls.Single(c => c.Operation == EngineOps.Remove).Id, Is.EqualTo(Id));
        });
    }

    [Test]
    public async Task RunAsync_AttachFails_RemovesTheSandboxAndThrows(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Containers.OnAttach = (_, _, _) => Task.FromException<MultiplexedStream>(new HttpRequestException("connection reset"));

        var error = await Expect.ThrowsAsync<SandboxEngineException>(() => harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(error.Operation, Is.EqualTo(SandboxOperations.Attach));
            Assert.That(error.StatusCode, Is.Null);
            Assert.That(harness.Client.Count(EngineOps.Start), Is.Zero);
            Assert.That(harness.Client.Calls.Single(c => c.Operation == EngineOps.Remove).Id, Is.EqualTo(Id));
        });
    }

    [Test]
    public async Task RunAsync_StartFails_RemovesTheSandboxAndThrows(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Containers.OnStart = (_, _) => Task.FromException<bool>(Status(HttpStatusCode.InternalServerError, "OCI runtime create failed"));

        var error = await Expect.ThrowsAsync<SandboxEngineException>(() => harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(error.Operation, Is.EqualTo(SandboxOperations.Start));
            Assert.That(error.SandboxId, Is.EqualTo(Id));
            Assert.That(error.EngineMessage, Is.EqualTo("OCI runtime create failed"));
            Assert.That(harness.Client.Count(EngineOps.Wait), Is.Zero);
            Assert.That(harness.Client.Calls.Single(c => c.Operation == EngineOps.Remove).Id, Is.EqualTo(Id));
        });
    }

    [Test]
    public async Task RunAsync_WaitFails_RemovesTheSandboxAndThrows(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Containers.OnWait = (_, _) => Task.FromException<ContainerWaitResponse>(Status(HttpStatusCode.InternalServerError));

        var error = await Expect.ThrowsAsync<SandboxEngineException>(() => harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(error.Operation, Is.EqualTo(SandboxOperations.Wait));
            Assert.That(error.SandboxId, Is.EqualTo(Id));
            Assert.That(harness.Client.Calls.Single(c => c.Operation == EngineOps.Remove).Id, Is.EqualTo(Id));
        });
    }

    [Test]
    public async Task RunAsync_CallerCancelsDuringWait_ThrowsCancelledAndStillRemoves(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        var waiting = harness.HangFirstWait();
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var running = harness.Runner.RunAsync(RunnerHarness.Request(), caller.Token);
        await waiting.Task.WaitAsync(cancellationToken);
        await caller.CancelAsync();
        var error = await Expect.ThrowsAsync<OperationCanceledException>(() => running);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Not.InstanceOf<SandboxException>());
            Assert.That(harness.Client.Calls.Single(c => c.Operation == EngineOps.Remove).Id, Is.EqualTo(Id));
            Assert.That(harness.Client.Count(EngineOps.Stop) + harness.Client.Count(EngineOps.Kill), Is.Zero);
            Assert.That(harness.Logs.Collector.GetSnapshot().Select(r => r.Id.Id), Does.Contain(303));
        });
    }

    [Test]
    public async Task RunAsync_CallerCancelledBeforeStart_ThrowsWithoutEngineCalls(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        using var caller = new CancellationTokenSource();
        await caller.CancelAsync();

        await Expect.ThrowsAsync<OperationCanceledException>(() => harness.Runner.RunAsync(RunnerHarness.Request(), caller.Token));

        Assert.That(harness.Client.Calls, Is.Empty);
    }

    [Test]
    public async Task RunAsync_DeadlineReached_StopsAndReportsTimedOut(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        var waiting = harness.HangFirstWait();
        harness.Client.Containers.OnWait = WaitThen(harness, 143);
        harness.Client.Containers.OnAttach = (_, _, _) => Task.FromResult(DockerFrames.Stream((DockerFrames.StandardOutput, "partial"u8.ToArray())));
        var timeout = TimeSpan.FromSeconds(5);

        var running = harness.Runner.RunAsync(RunnerHarness.Request() with { Timeout = timeout }, cancellationToken);
        await waiting.Task.WaitAsync(cancellationToken);
        harness.Time.Advance(timeout - TimeSpan.FromMilliseconds(1));
        var stoppedEarly = harness.Client.Count(EngineOps.Stop) > 0;
        harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await running.WaitAsync(cancellationToken);

        var stop = harness.Client.ParametersOf<ContainerStopParameters>(EngineOps.Stop).Single();
        Assert.Multiple(() =>
        {
            Assert.That(stoppedEarly, Is.False, "not stopped before the deadline");
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut));
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Stopped));
            Assert.That(result.ExitCode, Is.EqualTo(143));
            Assert.That(result.StandardOutputText, Is.EqualTo("partial"));
            Assert.That(stop.WaitBeforeKillSeconds, Is.EqualTo(1));
            Assert.That(harness.Client.Count(EngineOps.Kill), Is.Zero);
            Assert.That(harness.Client.Calls.Single(c => c.Operation == EngineOps.Remove).Id, Is.EqualTo(Id));
            Assert.That(harness.Logs.Collector.GetSnapshot().Select(r => r.Id.Id), Does.Contain(400));
        });
    }

    [Test]
    public async Task RunAsync_DeadlineReachedWithoutGrace_KillsAndReportsKilled(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness(new SandboxRunnerOptions { StopGracePeriod = TimeSpan.Zero });
        var waiting = harness.HangFirstWait();
        harness.Client.Containers.OnWait = WaitThen(harness, 137);

        var running = harness.Runner.RunAsync(RunnerHarness.Request() with { Timeout = TimeSpan.FromSeconds(2) }, cancellationToken);
        await waiting.Task.WaitAsync(cancellationToken);
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        var result = await running.WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut));
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Killed));
            Assert.That(result.ExitCode, Is.EqualTo(137));
            Assert.That(harness.Client.Count(EngineOps.Stop), Is.Zero);
            Assert.That(harness.Client.Count(EngineOps.Kill), Is.EqualTo(1));
            Assert.That(harness.Client.Count(EngineOps.Inspect), Is.Zero, "a timed-out 137 is no OOM question");
            Assert.That(harness.Client.Count(EngineOps.Remove), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RunAsync_DeadlineWithDefaultTimeout_UsesTheOptionsTimeout(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness(new SandboxRunnerOptions { DefaultTimeout = TimeSpan.FromSeconds(3) });
        var waiting = harness.HangFirstWait();
        harness.Client.Containers.OnWait = WaitThen(harness, 143);

        var running = harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken);
        await waiting.Task.WaitAsync(cancellationToken);
        harness.Time.Advance(TimeSpan.FromSeconds(3));
        var result = await running.WaitAsync(cancellationToken);

        Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut));
    }

    /// <summary>Keeps the hanging first wait the harness installed, and answers later waits with <paramref name="exitCode"/>.</summary>
    private static Func<string, CancellationToken, Task<ContainerWaitResponse>> WaitThen(RunnerHarness harness, long exitCode)
    {
        var first = harness.Client.Containers.OnWait;
        var calls = 0;
        return (id, token) => Interlocked.Increment(ref calls) == 1
            ? first(id, token)
            : Task.FromResult(new ContainerWaitResponse { StatusCode = exitCode });
    }
}
