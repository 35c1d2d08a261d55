using System.Net;
using global::Docker.DotNet;
using global::Docker.DotNet.Models;
using SandboxRunner.Docker;
using SandboxRunner.Tests.Fakes;

namespace SandboxRunner.Tests.Docker;

[TestFixture]
[Category("Unit")]
[CancelAfter(30_000)]
public sealed class ExitWaiterTests
{
    [Test]
    public async Task WaitAsync_EngineAnswers_ReturnsExitCode(CancellationToken cancellationToken)
    {
        var client = new FakeDockerClient();
        client.Containers.OnWait = (_, _) => Task.FromResult(new ContainerWaitResponse { StatusCode = 3 });

        var exit = await ExitWaiter.WaitAsync(client, "id", cancellationToken);

        Assert.That(exit, Is.EqualTo(3));
    }

    [Test]
    public async Task WaitAsync_WaitCutShortByProxy_AsksTheEngineAndWaitsAgainWhileRunning(CancellationToken cancellationToken)
    {
        var client = new FakeDockerClient();
        var waits = 0;
        client.Containers.OnWait = (_, _) => ++waits == 1
            ? Task.FromException<ContainerWaitResponse>(new IOException("proxy closed the connection"))
            : Task.FromResult(new ContainerWaitResponse { StatusCode = 7 });
        client.Containers.OnInspect = (id, _) => Task.FromResult(new ContainerInspectResponse { ID = id, State = new State { Status = "running", Running = true } });

        var exit = await ExitWaiter.WaitAsync(client, "id", cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(7));
            Assert.That(client.CallNames, Is.EqualTo(new[] { EngineOps.Wait, EngineOps.Inspect, EngineOps.Wait }));
        });
    }

    [Test]
    public async Task WaitAsync_WaitCutShortAfterExit_TakesExitCodeFromInspect(CancellationToken cancellationToken)
    {
        var client = new FakeDockerClient();
        client.Containers.OnWait = (_, _) => Task.FromException<ContainerWaitResponse>(new System.Text.Json.JsonException("empty body"));
        client.Containers.OnInspect = (id, _) => Task.FromResult(new ContainerInspectResponse { ID = id, State = new State { Status = "exited", ExitCode = 42 } });

        var exit = await ExitWaiter.WaitAsync(client, "id", cancellationToken);

        Assert.That(exit, Is.EqualTo(42));
    }

    [Test]
    public async Task WaitAsync_EngineError_ThrowsEngineExceptionForWait(CancellationToken cancellationToken)
    {
        var client = new FakeDockerClient();
        client.Containers.OnWait = (_, _) => Task.FromException<ContainerWaitResponse>(new DockerApiException(HttpStatusCode.InternalServerError, """{"message":"boom"}"""));

        var error = await Expect.ThrowsAsync<SandboxEngineException>(() => ExitWaiter.WaitAsync(client, "id", cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(error.Operation, Is.EqualTo(SandboxOperations.Wait));
            Assert.That(error.StatusCode, Is.EqualTo(500));
            Assert.That(error.SandboxId, Is.EqualTo("id"));
        });
    }
}
