using global::Docker.DotNet;
using SandboxRunner.Docker;

namespace SandboxRunner.Tests.Fakes;

/// <summary>Hands a runner the fake engine and counts how often it was asked.</summary>
internal sealed class FakeDockerClientSource(FakeDockerClient client) : IDockerClientSource
{
    private int _requests;
    private int _disposals;

    public Uri Endpoint { get; } = new("tcp://fake-engine.invalid:2375");

    public int Requests => Volatile.Read(ref _requests);

    public int Disposals => Volatile.Read(ref _disposals);

    public ValueTask<IDockerClient> GetClientAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        return new ValueTask<IDockerClient>(client);
    }

    /// <summary>The fake engine's attach, where faults are injected.</summary>
    public Task<MultiplexedStream> AttachAsync(string sandboxId, bool stdin, CancellationToken cancellationToken) =>
        client.Containers.AttachContainerAsync(
            sandboxId, new global::Docker.DotNet.Models.ContainerAttachParameters { Stream = true, Stdin = stdin, Stdout = true, Stderr = true }, cancellationToken);

    public ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref _disposals);
        return ValueTask.CompletedTask;
    }
}
