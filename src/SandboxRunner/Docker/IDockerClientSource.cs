using global::Docker.DotNet;

namespace SandboxRunner.Docker;

/// <summary>Hands out the Docker client, connected and with its API version agreed on first use.</summary>
internal interface IDockerClientSource : IAsyncDisposable
{
    /// <summary>Gets the endpoint, for messages.</summary>
    Uri Endpoint { get; }

    /// <summary>Gets the client, negotiating the API version on the first call.</summary>
    ValueTask<IDockerClient> GetClientAsync(CancellationToken cancellationToken);
}
