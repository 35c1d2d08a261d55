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
public sealed class SandboxTerminatorTests : FakeEngineTest
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    private SandboxTerminator Terminator(TimeSpan? grace = null) => new(grace ?? Grace, Time, Logger);

    [Test]
    public async Task TerminateAsync_StopSucceeds_IsStoppedWithoutKill(CancellationToken cancellationToken)
    {
        var termination = await Terminator().TerminateAsync(Client, "id").WaitAsync(cancellationToken);

        var stop = Client.ParametersOf<ContainerStopParameters>(EngineOps.Stop).Single();
        Assert.Multiple(() =>
        {
            Assert.That(termination, Is.EqualTo(SandboxTermination.Stopped));
            Assert.That(Client.CallNames, Is.EqualTo(new[] { EngineOps.Stop }));
            Assert.That(stop.WaitBeforeKillSeconds, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task TerminateAsync_FractionalGrace_RoundsStopWaitUp(CancellationToken cancellationToken)
    {
        await Terminator(TimeSpan.FromMilliseconds(1500)).TerminateAsync(Client, "id").WaitAsync(cancellationToken);

        Assert.That(Client.ParametersOf<ContainerStopParameters>(EngineOps.Stop).Single().WaitBeforeKillSeconds, Is.EqualTo(2));
    }

    [Test]
    public async Task TerminateAsync_NoGrace_KillsAtOnceWithoutStop(CancellationToken cancellationToken)
    {
        var termination = await Terminator(TimeSpan.Zero).TerminateAsync(Client, "id").WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(termination, Is.EqualTo(SandboxTermination.Killed));
            Assert.That(Client.CallNames, Is.EqualTo(new[] { EngineOps.Kill }));
            Assert.That(Client.ParametersOf<ContainerKillParameters>(EngineOps.Kill).Single().Signal, Is.EqualTo("SIGKILL"));
        });
    }

    [Test]
    public async Task TerminateAsync_StopFails_Kills(CancellationToken cancellationToken)
    {
        Client.Containers.OnStop = (_, _, _) => Task.FromException<bool>(new DockerApiException(HttpStatusCode.InternalServerError, "boom"));

        var termination = await Terminator().TerminateAsync(Client, "id").WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(termination, Is.EqualTo(SandboxTermination.Killed));
            Assert.That(Client.CallNames, Is.EqualTo(new[] { EngineOps.Stop, EngineOps.Kill }));
            Assert.That(Logger.Collector.GetSnapshot().Select(r => r.Id.Id), Does.Contain(401));
        });
    }

    [Test]
    public async Task TerminateAsync_StopOverrunsGraceAndMargin_Kills(CancellationToken cancellationToken)
    {
        var stopping = Signals.NewSignal();
        Client.Containers.OnStop = (_, _, token) =>
        {
            stopping.TrySetResult();
            return Signals.HangAsync<bool>(token);
        };

        var terminating = Terminator().TerminateAsync(Client, "id");
        await stopping.Task.WaitAsync(cancellationToken);
        Time.Advance(Grace + SandboxTerminator.StopMargin - TimeSpan.FromMilliseconds(1));
        var killedEarly = Client.Count(EngineOps.Kill) > 0;
        Time.Advance(TimeSpan.FromMilliseconds(1));
        var termination = await terminating.WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(killedEarly, Is.False, "no kill before grace plus margin");
            Assert.That(termination, Is.EqualTo(SandboxTermination.Killed));
            Assert.That(Client.CallNames, Is.EqualTo(new[] { EngineOps.Stop, EngineOps.Kill }));
        });
    }

    [Test]
    public async Task TerminateAsync_KillFails_StillReportsKilledWithoutThrowing(CancellationToken cancellationToken)
    {
        Client.Containers.OnKill = (_, _, _) => Task.FromException(new DockerApiException(HttpStatusCode.Conflict, """{"message":"is not running"}"""));

        var termination = await Terminator(TimeSpan.Zero).TerminateAsync(Client, "id").WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(termination, Is.EqualTo(SandboxTermination.Killed));
            Assert.That(Logger.Collector.GetSnapshot().Select(r => r.Id.Id), Does.Contain(402));
        });
    }

    [Test]
    public async Task TerminateAsync_StopAndKillBothFail_StillReportsKilled(CancellationToken cancellationToken)
    {
        Client.Containers.OnStop = (_, _, _) => Task.FromException<bool>(new HttpRequestException("connection reset"));
        Client.Containers.OnKill = (_, _, _) => Task.FromException(new IOException("broken pipe"));

        var termination = await Terminator().TerminateAsync(Client, "id").WaitAsync(cancellationToken);

        Assert.That(termination, Is.EqualTo(SandboxTermination.Killed));
    }

    [Test]
    public async Task TerminateAsync_KillHangs_GivesUpAfterKillBudget(CancellationToken cancellationToken)
    {
        var killing = Signals.NewSignal();
        Client.Containers.OnKill = (_, _, token) =>
        {
            killing.TrySetResult();
            return Signals.HangAsync<bool>(token);
        };

        var terminating = Terminator(TimeSpan.Zero).TerminateAsync(Client, "id");
        await killing.Task.WaitAsync(cancellationToken);
        Time.Advance(SandboxTerminator.KillBudget);
        var termination = await terminating.WaitAsync(cancellationToken);

        Assert.That(termination, Is.EqualTo(SandboxTermination.Killed));
    }
}
