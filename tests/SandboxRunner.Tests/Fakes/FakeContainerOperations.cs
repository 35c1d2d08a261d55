using global::Docker.DotNet;
using global::Docker.DotNet.Models;

namespace SandboxRunner.Tests.Fakes;

/// <summary>
/// Container operations of <see cref="FakeDockerClient"/>. Each used operation answers through a
/// delegate whose default is the happy path; a test replaces the delegates it needs to fail or hang.
/// </summary>
internal sealed class FakeContainerOperations(FakeDockerClient owner) : IContainerOperations
{
    public const string ContainerId = "c0ffee00c0ffee00";

    public Func<CreateContainerParameters, CancellationToken, Task<CreateContainerResponse>> OnCreate { get; set; } =
        (_, _) => Task.FromResult(new CreateContainerResponse { ID = ContainerId, Warnings = [] });

    public Func<string, CopyToContainerParameters, Stream, CancellationToken, Task> OnUpload { get; set; } = (_, _, _, _) => Task.CompletedTask;

    public Func<string, ContainerAttachParameters, CancellationToken, Task<MultiplexedStream>> OnAttach { get; set; } =
        (_, _, _) => Task.FromResult(DockerFrames.Stream());

    public Func<string, CancellationToken, Task<bool>> OnStart { get; set; } = (_, _) => Task.FromResult(true);

    public Func<string, CancellationToken, Task<ContainerWaitResponse>> OnWait { get; set; } =
        (_, _) => Task.FromResult(new ContainerWaitResponse { StatusCode = 0 });

    public Func<string, CancellationToken, Task<ContainerInspectResponse>> OnInspect { get; set; } =
        (id, _) => Task.FromResult(new ContainerInspectResponse { ID = id, State = new State { Status = "exited", Running = false } });

    public Func<string, ContainerStopParameters, CancellationToken, Task<bool>> OnStop { get; set; } = (_, _, _) => Task.FromResult(true);

    public Func<string, ContainerKillParameters, CancellationToken, Task> OnKill { get; set; } = (_, _, _) => Task.CompletedTask;

    public Func<string, ContainerRemoveParameters, CancellationToken, Task> OnRemove { get; set; } = (_, _, _) => Task.CompletedTask;

    /// <summary>Gets the content of the last archive uploaded, copied at the time of the call.</summary>
    public byte[]? LastUpload { get; private set; }

    public Task<CreateContainerResponse> CreateContainerAsync(CreateContainerParameters parameters, CancellationToken cancellationToken = default)
    {
        owner.Record(EngineOps.Create, parameters.Name, parameters);
        return OnCreate(parameters, cancellationToken);
    }

    public Task ExtractArchiveToContainerAsync(string id, CopyToContainerParameters parameters, Stream stream, CancellationToken cancellationToken = default)
    {
        owner.Record(EngineOps.Upload, id, parameters);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        LastUpload = copy.ToArray();
        stream.Position = 0;
        return OnUpload(id, parameters, stream, cancellationToken);
    }

    public Task<MultiplexedStream> AttachContainerAsync(string id, ContainerAttachParameters parameters, CancellationToken cancellationToken = default)
    {
        owner.Record(EngineOps.Attach, id, parameters);
        return OnAttach(id, parameters, cancellationToken);
    }

    public Task<bool> StartContainerAsync(string id, ContainerStartParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        owner.Record(EngineOps.Start, id, parameters);
        return OnStart(id, cancellationToken);
    }

    public Task<ContainerWaitResponse> WaitContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        owner.Record(EngineOps.Wait, id, null);
        return OnWait(id, cancellationToken);
    }

    public Task<ContainerInspectResponse> InspectContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        owner.Record(EngineOps.Inspect, id, null);
        return OnInspect(id, cancellationToken);
    }

    public Task<bool> StopContainerAsync(string id, ContainerStopParameters parameters, CancellationToken cancellationToken = default)
    {
        owner.Record(EngineOps.Stop, id, parameters);
        return OnStop(id, parameters, cancellationToken);
    }

    public Task KillContainerAsync(string id, ContainerKillParameters parameters, CancellationToken cancellationToken = default)
    {
        owner.Record(EngineOps.Kill, id, parameters);
        return OnKill(id, parameters, cancellationToken);
    }

    public Task RemoveContainerAsync(string id, ContainerRemoveParameters parameters, CancellationToken cancellationToken = default)
    {
        owner.Record(EngineOps.Remove, id, parameters);
        return OnRemove(id, parameters, cancellationToken);
    }

    public Task<IList<ContainerListResponse>> ListContainersAsync(ContainersListParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ContainerInspectResponse> InspectContainerAsync(string id, ContainerInspectParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ContainerProcessesResponse> ListProcessesAsync(string id, ContainerListProcessesParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task GetContainerLogsAsync(string id, ContainerLogsParameters parameters, IProgress<string> progress, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<MultiplexedStream> GetContainerLogsAsync(string id, ContainerLogsParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IList<ContainerFileSystemChangeResponse>> InspectChangesAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Stream> ExportContainerAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Stream> GetContainerStatsAsync(string id, ContainerStatsParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task GetContainerStatsAsync(string id, ContainerStatsParameters parameters, IProgress<ContainerStatsResponse> progress, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task ResizeContainerTtyAsync(string id, ContainerResizeParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task RestartContainerAsync(string id, ContainerRestartParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task RenameContainerAsync(string id, ContainerRenameParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task PauseContainerAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task UnpauseContainerAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ContainerArchiveResponse> GetArchiveFromContainerAsync(string id, ContainerPathStatParameters parameters, bool statOnly, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ContainersPruneResponse> PruneContainersAsync(ContainersPruneParameters? parameters = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ContainerUpdateResponse> UpdateContainerAsync(string id, ContainerUpdateParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
