using global::Docker.DotNet;
using global::Docker.DotNet.Models;
using SandboxRunner.Pooling;
using SandboxRunner.Telemetry;
using SandboxRunner.Validation;

namespace SandboxRunner.Docker;

/// <summary>
/// Warm sandboxes: created, attached and started ahead of demand, each waiting for exactly one run, its
/// workspace a memory-backed volume that takes the run's files while the program waits. A run on one
/// delivers its files and input, and the sandbox is removed after the result is returned, off the
/// caller's critical path but still awaited by disposal, logged and counted if it fails.
/// </summary>
internal sealed partial class DockerSandboxRunner
{
    private WarmPool CreatePool(WarmPoolOptions profile)
    {
        var plan = RequestValidator.Validate(profile.ToRequest(), _options);
        return new WarmPool(
            plan,
            profile,
            (poolPlan, stopping) => PrepareWarmAsync(poolPlan, profile.IdleLifetime, stopping),
            DiscardWarmAsync,
            _timeProvider,
            _logger);
    }

    /// <summary>A ready sandbox of a pool whose profile <paramref name="plan"/> matches; counted as a hit or a miss.</summary>
    private WarmSandbox? TakeWarm(RunPlan plan)
    {
        var matched = false;
        foreach (var pool in _pools)
        {
            if (!pool.Matches(plan))
            {
                continue;
            }

            matched = true;
            if (pool.TryTake() is { } sandbox)
            {
                _metrics.WarmTaken(plan.Image.Original, hit: true);
                return sandbox;
            }
        }

        if (matched)
        {
            _metrics.WarmTaken(plan.Image.Original, hit: false);
        }

        return null;
    }

    private async Task<RunOutcome> RunWarmAsync(IDockerClient client, RunState run, WarmSandbox warm, CancellationToken cancellationToken)
    {
        run.SandboxId = warm.Id;
        run.ImageId = warm.ImageId;
        Log.TookWarm(_logger, run.RunId, warm.Id);
        try
        {
            return await DriveAsync(
                client,
                run,
                warm.Stream,
                stdinOpen: true,
                () => UploadFilesAsync(client, run, warm.Id, cancellationToken),
                warm.Exit,
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            warm.Release();
            _ = RemoveTrackedAsync(client, warm.Id);
        }
    }

    private async Task UploadFilesAsync(IDockerClient client, RunState run, string sandboxId, CancellationToken cancellationToken)
    {
        if (run.Plan.Files.Count == 0)
        {
            return;
        }

        run.Operation = SandboxOperations.Upload;
        using var archive = WorkspaceArchive.Build(run.Plan.Files, _user, _timeProvider.GetUtcNow(), WorkspaceMount.MemoryVolume);
        await EngineCall.InvokeAsync(
            run.Operation,
            sandboxId,
            () => client.Containers.ExtractArchiveToContainerAsync(
                sandboxId,
                new CopyToContainerParameters { Path = ContainerSpecFactory.UploadPath(WorkspaceMount.MemoryVolume) },
                archive,
                cancellationToken)).ConfigureAwait(false);
    }

    private async Task<WarmSandbox> PrepareWarmAsync(RunPlan plan, TimeSpan idleLifetime, CancellationToken stopping)
    {
        var client = await _clients.GetClientAsync(stopping).ConfigureAwait(false);
        var imageId = await _images.EnsureAsync(client, plan.Image, stopping).ConfigureAwait(false);
        var runId = Guid.NewGuid().ToString("N");
        var name = "sandboxrunner-" + runId;
        var created = _timeProvider.GetUtcNow();
        var expires = created + idleLifetime + _options.MaxTimeout + _options.StopGracePeriod + _options.CleanupTimeout + CreateTimeout;
        var parameters = ContainerSpecFactory.CreateWarm(plan, _user, _options.StopGracePeriod, SandboxLabels.Create(runId, created, expires, _options.Labels), name);

        string? id = null;
        MultiplexedStream? stream = null;
        try
        {
            // Not cancelled by stopping: a create whose answer is lost would leave a sandbox unseen.
            using (var createTimeout = new CancellationTokenSource(CreateTimeout, _timeProvider))
            {
                id = (await EngineCall.InvokeAsync(
                    SandboxOperations.Create, null, () => client.Containers.CreateContainerAsync(parameters, createTimeout.Token)).ConfigureAwait(false)).ID;
            }

            stream = await EngineCall.InvokeAsync(SandboxOperations.Attach, id, () => _clients.AttachAsync(id, stdin: true, stopping)).ConfigureAwait(false);
            await EngineCall.InvokeAsync(
                SandboxOperations.Start, id, () => client.Containers.StartContainerAsync(id, new ContainerStartParameters(), stopping)).ConfigureAwait(false);

            var waitCancellation = new CancellationTokenSource();
            var exit = ExitWaiter.WaitAsync(client, id, waitCancellation.Token);
            return new WarmSandbox(id, runId, imageId, stream, exit, waitCancellation, _timeProvider.GetTimestamp());
        }
        catch
        {
            stream?.Dispose();
            await RemoveTrackedAsync(client, id ?? name).ConfigureAwait(false);
            throw;
        }
    }

    private async Task DiscardWarmAsync(WarmSandbox sandbox)
    {
        sandbox.Release();
        var client = await _clients.GetClientAsync(CancellationToken.None).ConfigureAwait(false);
        await RemoveTrackedAsync(client, sandbox.Id).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes a sandbox as work in progress of the runner, so that disposal waits for it; a failure is
    /// logged (EventId 501) and counted, and the labels leave it to the sweeper.
    /// </summary>
    private async Task RemoveTrackedAsync(IDockerClient client, string sandboxId)
    {
        Interlocked.Increment(ref _active);
        try
        {
            if (!await _remover.RemoveAsync(client, sandboxId).ConfigureAwait(false))
            {
                _metrics.CleanupFailed();
            }
        }
        finally
        {
            LeaveWork();
        }
    }
}
