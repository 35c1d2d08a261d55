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
public sealed class SandboxTerminatorTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    private FakeDockerClient _client = null!;
    private FakeTimeProvider _time = null!;
    private FakeLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _client = new FakeDockerClient();
        _time = new FakeTimeProvider();
        _logger = new FakeLogger();
    }

    [TearDown]
    public void TearDown() => _client.Dispose();

    private SandboxTerminator Terminator(TimeSpan? grace = null) => new(grace ?? Grace, _time, _logger);

    [Test]
    public async Task TerminateAsync_StopSucceeds_IsStoppedWithoutKill(CancellationToken cancellationToken)
    {
        var termination = await Terminator().TerminateAsync(_client, "id").WaitAsync(cancellationToken);

        var stop = _client.ParametersOf<ContainerStopParameters>(EngineOps.Stop).Single();
        Assert.Multiple(() =>
        {
            Assert.That(termination, Is.EqualTo(SandboxTermination.Stopped));
            Assert.That(_client.CallNames, Is.EqualTo(new[] { EngineOps.Stop }));
            Assert.That(stop.WaitBeforeKillSeconds, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task TerminateAsync_FractionalGrace_RoundsStopWaitUp(CancellationToken cancellationToken)
    {
        await Terminator(TimeSpan.FromMilliseconds(1500)).TerminateAsync(_client, "id").WaitAsync(cancellationToken);

        Assert.That(_client.ParametersOf<ContainerStopParameters>(EngineOps.Stop).Single().WaitBeforeKillSeconds, Is.EqualTo(2));
    }

    [Test]
    public async Task TerminateAsync_NoGrace_KillsAtOnceWithoutStop(CancellationToken cancellationToken)
    {
        var termination = await Terminator(TimeSpan.Zero).TerminateAsync(_client, "id").WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(termination, Is.EqualTo(SandboxTermination.Killed));
            Assert.That(_client.CallNames, Is.EqualTo(new[] { EngineOps.Kill }));
            Assert.That(_client.ParametersOf<ContainerKillParameters>(EngineOps.Kill).Single().Signal, Is.EqualTo("SIGKILL"));
        });
    }

    [Test]
    public async Task TerminateAsync_StopFails_Kills(CancellationToken cancellationToken)
    {
        _client.Containers.OnStop = (_, _, _) => Task.FromException<bool>(new DockerApiException(HttpStatusCode.InternalServerError, "boom"));

        var termination = await Terminator().TerminateAsync(_client, "id").WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(termination, Is.EqualTo(SandboxTermination.Killed));
            Assert.That(_client.CallNames, Is.EqualTo(new[] { EngineOps.Stop, EngineOps.Kill }));
            Assert.That(_logger.Collector.GetSnapshot().Select(r => r.Id.Id), Does.Contain(401));
        });
    }

    [Test]
    public async Task TerminateAsync_StopOverrunsGraceAndMargin_Kills(CancellationToken cancellationToken)
    {
        var stopping = Signals.NewSignal();
        _client.Containers.OnStop = (_, _, token) =>
        {
            stopping.TrySetResult();
            return Signals.HangAsync<bool>(token);
        };

        var terminating = Terminator().TerminateAsync(_client, "id");
        await stopping.Task.WaitAsync(cancellationToken);
        _time.Advance(Grace + SandboxTerminator.StopMargin - TimeSpan.FromMilliseconds(1));
        var killedEarly = _client.Count(EngineOps.Kill) > 0;
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var termination = await terminating.WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(killedEarly, Is.False, "no kill before grace plus margin");
            Assert.That(termination, Is.EqualTo(SandboxTermination.Killed));
            Assert.That(_client.CallNames, Is.EqualTo(new[] { EngineOps.Stop, EngineOps.Kill }));
        });
    }

    [Test]
    public async Task TerminateAsync_KillFails_StillReportsKilledWithoutThrowing(CancellationToken cancellationToken)
    {
        _client.Containers.OnKill = (_, _, _) => Task.FromException(new DockerApiException(HttpStatusCode.Conflict, """{"message":"is not running"}"""));

        var termination = await Terminator(TimeSpan.Zero).TerminateAsync(_client, "id").WaitAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(termination, Is.EqualTo(SandboxTermination.Killed));
            Assert.That(_logger.Collector.GetSnapshot().Select(r => r.Id.Id), Does.Contain(402));
        });
    }

    [Test]
    public async Task TerminateAsync_StopAndKillBothFail_StillReportsKilled(CancellationToken cancellationToken)
    {
        _client.Containers.OnStop = (_, _, _) => Task.FromException<bool>(new HttpRequestException("connection reset"));
        _client.Containers.OnKill = (_, _, _) => Task.FromException(new IOException("broken pipe"));

        var termination = await Terminator().TerminateAsync(_client, "id").WaitAsync(cancellationToken);

        Assert.That(termination, Is.EqualTo(SandboxTermination.Killed));
    }

    [Test]
    public async Task TerminateAsync_KillHangs_GivesUpAfterKillBudget(CancellationToken cancellationToken)
    {
        var killing = Signals.NewSignal();
        _client.Containers.OnKill = (_, _, token) =>
        {
            killing.TrySetResult();
            return Signals.HangAsync<bool>(token);
        };

        var terminating = Terminator(TimeSpan.Zero).TerminateAsync(_client, "id");
        await killing.Task.WaitAsync(cancellationToken);
        _time.Advance(SandboxTerminator.KillBudget);
        var termination = await terminating.WaitAsync(cancellationToken);

        Assert.That(termination, Is.EqualTo(SandboxTermination.Killed));
    }
}
