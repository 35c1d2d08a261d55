using System.Net;
using global::Docker.DotNet;
using global::Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SandboxRunner.Resilience;
using SandboxRunner.Tests.Fakes;

namespace SandboxRunner.Tests.Resilience;

[TestFixture]
[Category("Unit")]
[CancelAfter(30_000)]
public sealed class SandboxRemoverTests : FakeEngineTest
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    private SandboxRemover Remover(TimeSpan? cleanupTimeout = null) => new(cleanupTimeout ?? TimeSpan.FromMinutes(5), Time, Logger);

    private void FailRemove(int times, HttpStatusCode status)
    {
        var calls = 0;
        Client.Containers.OnRemove = (_, _, _) => Interlocked.Increment(ref calls) <= times
            ? Task.FromException(new DockerApiException(status, "{\"message\":\"x\"}"))
            : Task.CompletedTask;
    }

    private IEnumerable<int> EventIds => Logger.Collector.GetSnapshot().Select(r => r.Id.Id);

    [Test]
    public async Task RemoveAsync_Succeeds_ForcesRemovalWithVolumesOnce(CancellationToken cancellationToken)
    {
        var removed = await Remover().RemoveAsync(Client, "id1").WaitAsync(cancellationToken);

        var call = Client.Calls.Single();
        var parameters = (ContainerRemoveParameters)call.Parameters!;
        Assert.Multiple(() =>
        {
            Assert.That(removed, Is.True);
            Assert.That(call.Operation, Is.EqualTo(EngineOps.Remove));
            Assert.That(call.Id, Is.EqualTo("id1"));
            Assert.That(parameters.Force, Is.True);
            Assert.That(parameters.RemoveVolumes, Is.True);
        });
    }

    [TestCase(HttpStatusCode.Conflict)]
    [TestCase(HttpStatusCode.InternalServerError)]
    [TestCase(HttpStatusCode.ServiceUnavailable)]
    public async Task RemoveAsync_TransientFailuresThenSuccess_RetriesUntilRemoved(HttpStatusCode status, CancellationToken cancellationToken)
    {
        FailRemove(3, status);

        var removed = await Signals.DriveAsync(Time, Remover().RemoveAsync(Client, "id1"), Step, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(removed, Is.True);
            Assert.That(Client.Count(EngineOps.Remove), Is.EqualTo(4));
            Assert.That(Client.ParametersOf<ContainerRemoveParameters>(EngineOps.Remove), Has.All.Matches<ContainerRemoveParameters>(p => p.Force == true && p.RemoveVolumes == true));
            Assert.That(Client.Calls.Select(c => c.Id), Has.All.EqualTo("id1"));
            Assert.That(EventIds.Count(id => id == 500), Is.EqualTo(3));
            Assert.That(EventIds, Does.Not.Contain(501));
        });
    }

    [Test]
    public async Task RemoveAsync_RetriesWaitOnTheClock(CancellationToken cancellationToken)
    {
        FailRemove(1, HttpStatusCode.Conflict);

        var removing = Remover().RemoveAsync(Client, "id1");
        var attemptsBeforeTimePasses = Client.Count(EngineOps.Remove);
        var removed = await Signals.DriveAsync(Time, removing, Step, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(attemptsBeforeTimePasses, Is.EqualTo(1), "the retry waits for its backoff");
            Assert.That(removed, Is.True);
        });
    }

    [Test]
    public async Task RemoveAsync_AlreadyGone_CountsAsRemoved(CancellationToken cancellationToken)
    {
        FailRemove(int.MaxValue, HttpStatusCode.NotFound);

        var removed = await Remover().RemoveAsync(Client, "id1").WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(removed, Is.True);
            Assert.That(Client.Count(EngineOps.Remove), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task RemoveAsync_AlwaysFailing_GivesUpAtCleanupTimeoutAndLogs(CancellationToken cancellationToken)
    {
        FailRemove(int.MaxValue, HttpStatusCode.InternalServerError);
        var cleanupTimeout = TimeSpan.FromSeconds(30);
        var started = Time.GetUtcNow();

        var removing = Remover(cleanupTimeout).RemoveAsync(Client, "id1");
        var finishedAtOnce = removing.IsCompleted;
        var removed = await Signals.DriveAsync(Time, removing, Step, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(finishedAtOnce, Is.False);
            Assert.That(removed, Is.False);
            Assert.That(Time.GetUtcNow() - started, Is.GreaterThanOrEqualTo(cleanupTimeout));
            Assert.That(Client.Count(EngineOps.Remove), Is.GreaterThan(2));
            Assert.That(Logger.Collector.GetSnapshot().Single(r => r.Id.Id == 501).Level, Is.EqualTo(Microsoft.Extensions.Logging.LogLevel.Error));
        });
    }

    [Test]
    public async Task RemoveAsync_AttemptHangs_IsCutAfterAttemptTimeoutAndRetried(CancellationToken cancellationToken)
    {
        var calls = 0;
        Client.Containers.OnRemove = (_, _, token) => Interlocked.Increment(ref calls) == 1 ? Signals.HangAsync<bool>(token) : Task.CompletedTask;

        var removed = await Signals.DriveAsync(Time, Remover().RemoveAsync(Client, "id1"), Step, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(removed, Is.True);
            Assert.That(Client.Count(EngineOps.Remove), Is.EqualTo(2));
        });
    }

    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.Unauthorized)]
    [TestCase(HttpStatusCode.Forbidden)]
    public async Task RemoveAsync_NonTransientFailure_GivesUpWithoutRetry(HttpStatusCode status, CancellationToken cancellationToken)
    {
        FailRemove(int.MaxValue, status);

        var removed = await Remover().RemoveAsync(Client, "id1").WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(removed, Is.False);
            Assert.That(Client.Count(EngineOps.Remove), Is.EqualTo(1));
            Assert.That(EventIds, Does.Contain(501));
        });
    }

    [Test]
    public async Task RemoveAsync_ConnectionRefusedThenSuccess_Retries(CancellationToken cancellationToken)
    {
        var calls = 0;
        Client.Containers.OnRemove = (_, _, _) => Interlocked.Increment(ref calls) == 1
            ? Task.FromException(new HttpRequestException("connection refused"))
            : Task.CompletedTask;

        var removed = await Signals.DriveAsync(Time, Remover().RemoveAsync(Client, "id1"), Step, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(removed, Is.True);
            Assert.That(Client.Count(EngineOps.Remove), Is.EqualTo(2));
        });
    }
}
