using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Faults;

/// <summary>Disposing a runner while it runs does not strand the run's sandbox.</summary>
[TestFixtureSource(typeof(EngineEndpoint), nameof(EngineEndpoint.All))]
[Category("Integration")]
public sealed class DisposeWhileRunningTests(EngineEndpoint endpoint) : SandboxFixture(endpoint)
{
    [Test]
    [CancelAfter(60_000)]
    public async Task DisposeAsync_RunInProgress_RunEndsAndItsSandboxIsRemoved(CancellationToken cancellationToken)
    {
        var runner = CreateRunner();
        var running = runner.RunAsync(Shell("echo started; sleep 30") with { Timeout = TimeSpan.FromSeconds(3) }, cancellationToken);
        await WaitForTestContainerAsync(cancellationToken);

        await runner.DisposeAsync();

        Assert.That(running.IsCompleted, Is.True, "dispose returned before the run it waited for ended");
        var result = await running;
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut), Describe(result));
            Assert.That(result.StandardOutputText, Is.EqualTo("started\n"));
            Assert.That(result.CleanupFailed, Is.False);
        });
        Assert.That(await DockerCli.ContainerExistsAsync(result.SandboxId), Is.False);
    }

    private static async Task WaitForTestContainerAsync(CancellationToken cancellationToken)
    {
        while (await CountTestContainersAsync(cancellationToken) == 0)
        {
            await Task.Delay(50, cancellationToken);
        }
    }
}
