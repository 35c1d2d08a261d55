using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SandboxRunner.Docker;
using SandboxRunner.Tests.Fakes;

namespace SandboxRunner.Tests.Docker;

/// <summary>A <see cref="DockerSandboxRunner"/> over the fake engine, a fake clock and a fake logger.</summary>
internal sealed class RunnerHarness : IAsyncDisposable
{
    public RunnerHarness(SandboxRunnerOptions? options = null)
    {
        Options = options ?? new SandboxRunnerOptions();
        Client = new FakeDockerClient();
        Source = new FakeDockerClientSource(Client);
        Time = new FakeTimeProvider();
        Logs = new FakeLoggerProvider();
        LoggerFactory = new LoggerFactory([Logs]);
        Runner = new DockerSandboxRunner(Options, Source, Time, LoggerFactory);
    }

    public SandboxRunnerOptions Options { get; }

    public FakeDockerClient Client { get; }

    public FakeDockerClientSource Source { get; }

    public FakeTimeProvider Time { get; }

    public FakeLoggerProvider Logs { get; }

    public ILoggerFactory LoggerFactory { get; }

    public DockerSandboxRunner Runner { get; }

    public static SandboxRequest Request(params string[] command) =>
        new() { Image = "busybox:1.36", Command = command.Length == 0 ? ["true"] : command };

    /// <summary>Makes the next wait (only) hang until its token fires, and signals when it began.</summary>
    public TaskCompletionSource HangFirstWait()
    {
        var waiting = Signals.NewSignal();
        var original = Client.Containers.OnWait;
        var calls = 0;
        Client.Containers.OnWait = (id, token) =>
        {
            if (Interlocked.Increment(ref calls) > 1)
            {
                return original(id, token);
            }

            waiting.TrySetResult();
            return Signals.HangAsync<global::Docker.DotNet.Models.ContainerWaitResponse>(token);
        };
        return waiting;
    }

    public async ValueTask DisposeAsync()
    {
        await Runner.DisposeAsync();
        LoggerFactory.Dispose();
        Logs.Dispose();
        Client.Dispose();
    }
}
