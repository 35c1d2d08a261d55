using global::Docker.DotNet;
using Microsoft.Extensions.Logging;
using SandboxRunner.Telemetry;

namespace SandboxRunner.Docker;

/// <summary>
/// Owns the one Docker client of a runner. The first call pings the engine, agrees on the API version
/// and builds the client; a failed attempt is not cached, so the next call tries again. Attaching goes
/// around the client (<see cref="EngineAttach"/>).
/// </summary>
internal sealed class DockerClientSource : IDockerClientSource
{
    private readonly TimeSpan _connectTimeout;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile DockerClient? _client;

    public DockerClientSource(Uri endpoint, TimeSpan connectTimeout, ILogger logger)
    {
        Endpoint = endpoint;
        _connectTimeout = connectTimeout;
        _logger = logger;
    }

    public Uri Endpoint { get; }

    /// <summary>Gets the API version agreed with the engine, once connected.</summary>
    public Version? ApiVersion { get; private set; }

    public ValueTask<IDockerClient> GetClientAsync(CancellationToken cancellationToken)
    {
        var client = _client;
        return client is not null ? new ValueTask<IDockerClient>(client) : new ValueTask<IDockerClient>(ConnectAsync(cancellationToken));
    }

    /// <summary>One upgraded request of its own, not Docker.DotNet's attach, which inspects the container first.</summary>
    public async Task<MultiplexedStream> AttachAsync(string sandboxId, bool stdin, CancellationToken cancellationToken)
    {
        await GetClientAsync(cancellationToken).ConfigureAwait(false);
        return await EngineAttach.AttachAsync(Endpoint, ApiVersion!, sandboxId, stdin, _connectTimeout, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _client?.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<IDockerClient> ConnectAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is { } existing)
            {
                return existing;
            }

            var version = await ApiVersionNegotiator.NegotiateAsync(Endpoint, _connectTimeout, cancellationToken).ConfigureAwait(false);
            ApiVersion = version;
            // The transport is chosen here, never by DOCKER_DOTNET_NATIVE_HTTP_ENABLED: the native HTTP
            // transport hangs when stdin is written while an attach read is pending.
            var builder = new DockerClientBuilder().WithEndpoint(Endpoint).WithApiVersion(version);
            _client = Endpoint.Scheme == "unix"
                ? builder.WithTransportOptions(new global::Docker.DotNet.Unix.UnixSocketTransportOptions()).Build()
                : builder.WithTransportOptions(new global::Docker.DotNet.LegacyHttp.LegacyHttpTransportOptions()).Build();
            Log.Connected(_logger, Endpoint, version);
            return _client;
        }
        finally
        {
            _gate.Release();
        }
    }
}
