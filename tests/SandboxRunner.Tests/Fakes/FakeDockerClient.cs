using global::Docker.DotNet;

namespace SandboxRunner.Tests.Fakes;

/// <summary>
/// An engine in memory: container and image operations answer through delegates the test sets, and
/// every call is logged in order. Everything else throws <see cref="NotSupportedException"/>.
/// </summary>
internal sealed class FakeDockerClient : IDockerClient
{
    private readonly List<EngineCallRecord> _calls = [];

    public FakeDockerClient()
    {
        Containers = new FakeContainerOperations(this);
        Images = new FakeImageOperations(this);
    }

    public FakeContainerOperations Containers { get; }

    public FakeImageOperations Images { get; }

    /// <summary>Gets a snapshot of the calls made so far, in order.</summary>
    public IReadOnlyList<EngineCallRecord> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Gets the names of the calls made so far, in order.</summary>
    public IReadOnlyList<string> CallNames => [.. Calls.Select(c => c.Operation)];

    global::Docker.DotNet.Handler.Abstractions.ResolvedClientOptions IDockerClient.Options => throw new NotSupportedException();

    ISystemOperations IDockerClient.System => throw new NotSupportedException();

    IContainerOperations IDockerClient.Containers => Containers;

    IImageOperations IDockerClient.Images => Images;

    INetworkOperations IDockerClient.Networks => throw new NotSupportedException();

    IVolumeOperations IDockerClient.Volumes => throw new NotSupportedException();

    ISecretsOperations IDockerClient.Secrets => throw new NotSupportedException();

    IConfigOperations IDockerClient.Configs => throw new NotSupportedException();

    IDistributionOperations IDockerClient.Distribution => throw new NotSupportedException();

    ISwarmOperations IDockerClient.Swarm => throw new NotSupportedException();

    ITasksOperations IDockerClient.Tasks => throw new NotSupportedException();

    IPluginOperations IDockerClient.Plugin => throw new NotSupportedException();

    IExecOperations IDockerClient.Exec => throw new NotSupportedException();

    public int Count(string operation) => Calls.Count(c => c.Operation == operation);

    public IEnumerable<T> ParametersOf<T>(string operation) => Calls.Where(c => c.Operation == operation).Select(c => (T)c.Parameters!);

    public void Dispose()
    {
    }

    internal void Record(string operation, string? id, object? parameters)
    {
        lock (_calls)
        {
            _calls.Add(new EngineCallRecord(operation, id, parameters));
        }
    }
}

/// <summary>One call to the fake engine.</summary>
internal sealed record EngineCallRecord(string Operation, string? Id, object? Parameters);
