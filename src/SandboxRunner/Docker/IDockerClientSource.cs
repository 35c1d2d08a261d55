using global::Docker.DotNet;

namespace SandboxRunner.Docker;

/// <summary>Hands out the Docker client, connected and with its API version agreed on first use.</summary>
internal interface IDockerClientSource : IAsyncDisposable
{
    /// <summary>Gets the endpoint, for messages.</summary>
    Uri Endpoint { get; }

    /// <summary>Gets the client, negotiating the API version on the first call.</summary>
    ValueTask<IDockerClient> GetClientAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Attaches to stdout, stderr and, when <paramref name="stdin"/>, stdin of a sandbox created without a TTY,
    /// after <see cref="GetClientAsync"/> has connected.
    /// </summary>
    Task<MultiplexedStream> AttachAsync(string sandboxId, bool stdin, CancellationToken cancellationToken);
}
