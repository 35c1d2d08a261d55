using System.Net;
using global::Docker.DotNet;
using global::Docker.DotNet.Models;
using SandboxRunner.Docker;
using SandboxRunner.Tests.Docker;
using SandboxRunner.Tests.Fakes;
using SandboxRunner.Validation;

namespace SandboxRunner.Tests.Regressions;

/// <summary>Each test here failed before the fix it is named after.</summary>
[TestFixture]
[Category("Unit")]
public sealed class ReviewFindingsRegressionTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task RunAsync_CreateNeverAnswers_ThrowsEngineExceptionNotCancellation(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Containers.OnCreate = (_, token) => Signals.HangAsync<CreateContainerResponse>(token);

        var run = harness.Runner.RunAsync(RunnerHarness.Request(), CancellationToken.None);
        var exception = await Expect.ThrowsAsync<SandboxEngineException>(() => Signals.DriveAsync(harness.Time, run, TimeSpan.FromSeconds(5), cancellationToken));

        Assert.That(exception.Operation, Is.EqualTo(SandboxOperations.Create));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task DisposeAsync_RunInProgress_WaitsForItsCleanupBeforeReleasingTheClient(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        var waiting = harness.HangFirstWait();
        var running = harness.Runner.RunAsync(RunnerHarness.Request() with { Timeout = TimeSpan.FromSeconds(5) }, CancellationToken.None);
        await waiting.Task.WaitAsync(cancellationToken);

        var disposing = harness.Runner.DisposeAsync().AsTask();
        await Task.Yield();
        var disposedEarly = disposing.IsCompleted || harness.Source.Disposals > 0;
        var result = await Signals.DriveAsync(harness.Time, running, TimeSpan.FromSeconds(1), cancellationToken);
        await disposing.WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(disposedEarly, Is.False, "the client was released while a run still needed it");
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut));
            Assert.That(harness.Client.Count(EngineOps.Remove), Is.EqualTo(1));
            Assert.That(harness.Source.Disposals, Is.EqualTo(1));
        });
        Assert.That(() => harness.Runner.RunAsync(RunnerHarness.Request(), cancellationToken), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task RunAsync_OutOfMemoryInspectNeverAnswers_ThrowsEngineExceptionNamingInspect(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Containers.OnWait = (_, _) => Task.FromResult(new ContainerWaitResponse { StatusCode = 137 });
        harness.Client.Containers.OnInspect = (_, token) => Signals.HangAsync<ContainerInspectResponse>(token);

        var run = harness.Runner.RunAsync(RunnerHarness.Request(), CancellationToken.None);
        var exception = await Expect.ThrowsAsync<SandboxEngineException>(() => Signals.DriveAsync(harness.Time, run, TimeSpan.FromSeconds(1), cancellationToken));

        Assert.That(exception.Operation, Is.EqualTo(SandboxOperations.Inspect));
        Assert.That(harness.Client.Count(EngineOps.Remove), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task RunAsync_EngineUnreachableWhenRemovingAfterTheProgramExited_ThrowsInsteadOfReportingTheExit(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Containers.OnWait = (_, _) => Task.FromResult(new ContainerWaitResponse { StatusCode = 143 });
        var attempts = 0;
        harness.Client.Containers.OnRemove = (_, _, _) =>
            Interlocked.Increment(ref attempts) == 1 ? Task.FromException(new HttpRequestException("Connection refused")) : Task.CompletedTask;

        var run = harness.Runner.RunAsync(RunnerHarness.Request(), CancellationToken.None);
        var exception = await Expect.ThrowsAsync<SandboxEngineException>(() => Signals.DriveAsync(harness.Time, run, TimeSpan.FromSeconds(1), cancellationToken));

        Assert.That(exception.Operation, Is.EqualTo(SandboxOperations.Wait));
        Assert.That(attempts, Is.EqualTo(2), "the sandbox is still removed once the engine answers");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task RunAsync_EngineAnswersAnErrorWhenRemoving_StillReportsTheExit(CancellationToken cancellationToken)
    {
        await using var harness = new RunnerHarness();
        harness.Client.Containers.OnWait = (_, _) => Task.FromResult(new ContainerWaitResponse { StatusCode = 3 });
        var attempts = 0;
        harness.Client.Containers.OnRemove = (_, _, _) =>
            Interlocked.Increment(ref attempts) == 1 ? Task.FromException(new DockerApiException(HttpStatusCode.Conflict, "removal in progress")) : Task.CompletedTask;

        var result = await Signals.DriveAsync(harness.Time, harness.Runner.RunAsync(RunnerHarness.Request(), CancellationToken.None), TimeSpan.FromSeconds(1), cancellationToken);

        Assert.That(result.ExitCode, Is.EqualTo(3));
    }

    [Test]
    public void EngineMessage_MessageIsNotAString_FallsBackToTheRawBody()
    {
        Assert.That(DockerErrors.EngineMessage("{\"message\": 5}"), Is.EqualTo("{\"message\": 5}"));
        Assert.That(
            DockerErrors.Translate(new DockerApiException(HttpStatusCode.InternalServerError, "{\"message\": 5}"), SandboxOperations.Start, "x"),
            Is.TypeOf<SandboxEngineException>());
    }

    [TestCase(nameof(SandboxRunnerOptions.MaxTimeout))]
    [TestCase(nameof(SandboxRunnerOptions.QueueTimeout))]
    [TestCase(nameof(SandboxRunnerOptions.ConnectTimeout))]
    public void Validate_DurationBeyondWhatTimersAccept_Fails(string option)
    {
        var options = new SandboxRunnerOptions();
        typeof(SandboxRunnerOptions).GetProperty(option)!.SetValue(options, TimeSpan.FromDays(60));

        var result = SandboxRunnerOptionsValidator.Instance.Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain(option));
    }

    [TestCase(5)]
    [TestCase(2 * 24 * 3600 * 1000)]
    public void Validate_CleanupTimeoutOutsideWhatRemovalAccepts_Fails(long milliseconds)
    {
        var options = new SandboxRunnerOptions { CleanupTimeout = TimeSpan.FromMilliseconds(milliseconds) };

        var result = SandboxRunnerOptionsValidator.Instance.Validate(null, options);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain(nameof(SandboxRunnerOptions.CleanupTimeout)));
    }

}
