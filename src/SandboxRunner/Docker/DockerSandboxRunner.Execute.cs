using global::Docker.DotNet;
using global::Docker.DotNet.Models;
using SandboxRunner.Execution;
using SandboxRunner.Telemetry;

namespace SandboxRunner.Docker;

/// <summary>The phases of one run between its image and its removal.</summary>
internal sealed partial class DockerSandboxRunner
{
    private async Task CreateAsync(IDockerClient client, RunState run, CancellationToken cancellationToken)
    {
        var plan = run.Plan;
        var created = _timeProvider.GetUtcNow();
        var expires = created + plan.Timeout + _options.StopGracePeriod + _options.CleanupTimeout + CreateTimeout;
        var labels = SandboxLabels.Create(run.RunId, created, expires, _options.Labels);
        var parameters = ContainerSpecFactory.Create(plan, _user, _options.StopGracePeriod, labels, run.Name);

        run.Operation = SandboxOperations.Create;
        CreateContainerResponse response;
        try
        {
            response = await CreateOnceAsync(client, run, parameters).ConfigureAwait(false);
        }
        catch (SandboxEngineException e) when (e.StatusCode == 404)
        {
            // The image was remembered but is gone: make sure of it again, then create once more.
            _images.Forget(plan.Image);
            run.ImageId = await _images.EnsureAsync(client, plan.Image, cancellationToken).ConfigureAwait(false);
            response = await CreateOnceAsync(client, run, parameters).ConfigureAwait(false);
        }

        run.SandboxId = response.ID;
        Log.Created(_logger, run.RunId, response.ID, plan.Image.Original);
        cancellationToken.ThrowIfCancellationRequested();

        if (plan.Files.Count > 0)
        {
            run.Operation = SandboxOperations.Upload;
            var mount = ContainerSpecFactory.ColdWorkspace(plan);
            using var archive = WorkspaceArchive.Build(plan.Files, _user, created, mount);
            await EngineCall.InvokeAsync(
                run.Operation,
                run.SandboxId,
                () => client.Containers.ExtractArchiveToContainerAsync(
                    response.ID, new CopyToContainerParameters { Path = ContainerSpecFactory.UploadPath(mount) }, archive, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates the container on a token of its own: were the caller's token to abort the request, the
    /// engine could still create a container whose id nobody ever learns.
    /// </summary>
    private async Task<CreateContainerResponse> CreateOnceAsync(IDockerClient client, RunState run, CreateContainerParameters parameters)
    {
        using var timeout = new CancellationTokenSource(CreateTimeout, _timeProvider);
        run.CreateAttempted = true;
        return await EngineCall.InvokeAsync(
            SandboxOperations.Create, null, () => client.Containers.CreateContainerAsync(parameters, timeout.Token)).ConfigureAwait(false);
    }

    private async Task<RunOutcome> ExecuteAsync(IDockerClient client, RunState run, CancellationToken cancellationToken)
    {
        var id = run.SandboxId!;
        var hasStdin = !run.Plan.StandardInput.IsEmpty;

        run.Operation = SandboxOperations.Attach;
        var stream = await EngineCall.InvokeAsync(run.Operation, id, () => _clients.AttachAsync(id, hasStdin, cancellationToken)).ConfigureAwait(false);

        return await DriveAsync(
            client,
            run,
            stream,
            hasStdin,
            async () =>
            {
                run.Operation = SandboxOperations.Start;
                await EngineCall.InvokeAsync(run.Operation, id, () => client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken)).ConfigureAwait(false);
            },
            pendingExit: null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The part of a run shared by cold and warm sandboxes: whatever must happen before input and output
    /// flow (<paramref name="beforeInput"/>: the start, or the placing of files), then the pumps, the
    /// deadline, the rest of the output and the final state. The stream is closed on every path.
    /// </summary>
    private async Task<RunOutcome> DriveAsync(
        IDockerClient client, RunState run, MultiplexedStream stream, bool stdinOpen, Func<Task> beforeInput, Task<int>? pendingExit, CancellationToken cancellationToken)
    {
        var plan = run.Plan;
        var id = run.SandboxId!;
        var output = new OutputCapture(plan.Limits.MaxOutputBytes);
        using var pumpCancellation = new CancellationTokenSource();
        var reading = Task.CompletedTask;
        var writing = Task.CompletedTask;
        try
        {
            await beforeInput().ConfigureAwait(false);
            run.Timings.Start = run.Lap();

            reading = OutputPump.ReadAsync(stream, output, pumpCancellation.Token);
            writing = stdinOpen ? WriteInputAsync(stream, plan.StandardInput, pumpCancellation.Token) : Task.CompletedTask;

            run.Operation = SandboxOperations.Wait;
            var (exitCode, timedOut, termination) = await WaitWithDeadlineAsync(client, run, pendingExit, cancellationToken).ConfigureAwait(false);
            run.Timings.Run = run.Lap();

            await DrainAsync(reading, id).ConfigureAwait(false);
            var outOfMemory = false;
            if (!timedOut && exitCode == 137)
            {
                // Only a SIGKILL can mean the kernel's OOM killer: ask the engine only then.
                run.Operation = SandboxOperations.Inspect;
                using var inspectTimeout = new CancellationTokenSource(FinalWaitTimeout, _timeProvider);
                using var inspectToken = CancellationTokenSource.CreateLinkedTokenSource(inspectTimeout.Token, cancellationToken);
                var state = await EngineCall.InvokeAsync(run.Operation, id, () => client.Containers.InspectContainerAsync(id, inspectToken.Token)).ConfigureAwait(false);
                outOfMemory = state.State?.OOMKilled == true;
            }

            return new RunOutcome(exitCode, timedOut, outOfMemory, termination, output);
        }
        finally
        {
            // Cancel, then close the stream so that no read or write can stay blocked on it.
            await pumpCancellation.CancelAsync().ConfigureAwait(false);
            stream.Dispose();
            await Task.WhenAll(IgnoreFaults(reading), IgnoreFaults(writing)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for the program to end by its deadline, then stops or kills it. <paramref name="pendingExit"/>
    /// is a wait issued earlier (a warm sandbox's); without one, the wait is issued here.
    /// </summary>
    private async Task<(int ExitCode, bool TimedOut, SandboxTermination Termination)> WaitWithDeadlineAsync(
        IDockerClient client, RunState run, Task<int>? pendingExit, CancellationToken cancellationToken)
    {
        var id = run.SandboxId!;
        using var deadline = new CancellationTokenSource(run.Plan.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            var exit = pendingExit is null
                ? await ExitWaiter.WaitAsync(client, id, linked.Token).ConfigureAwait(false)
                : await pendingExit.WaitAsync(linked.Token).ConfigureAwait(false);
            return (exit, false, SandboxTermination.Exited);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Log.DeadlineReached(_logger, id, (long)run.Plan.Timeout.TotalMilliseconds);
            run.Operation = SandboxOperations.Stop;
            var termination = await _terminator.TerminateAsync(client, id).ConfigureAwait(false);
            using var finalWait = new CancellationTokenSource(FinalWaitTimeout, _timeProvider);
            int exit;
            try
            {
                exit = await ExitWaiter.WaitAsync(client, id, finalWait.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException || e is SandboxException)
            {
                // The program could not be seen to end; the forced removal ends it.
                exit = 137;
            }

            return (exit, true, exit == 137 ? SandboxTermination.Killed : termination);
        }
    }

    private async Task DrainAsync(Task reading, string sandboxId)
    {
        if (reading.IsCompletedSuccessfully)
        {
            return;
        }

        try
        {
            await reading.WaitAsync(OutputDrainTimeout, _timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.OutputDidNotEnd(_logger, sandboxId, (long)OutputDrainTimeout.TotalMilliseconds);
        }
        catch (Exception e) when (DockerErrors.IsEngineFault(e) || e is OperationCanceledException)
        {
            // The stream broke after the program ended: what was read is kept.
        }
    }

    /// <summary>A program may exit without reading its input; a failed write is then no fault of the run.</summary>
    private static async Task WriteInputAsync(MultiplexedStream stream, ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        try
        {
            await OutputPump.WriteAsync(stream, input, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
        }
    }

    private static async Task IgnoreFaults(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or HttpRequestException or System.Net.Sockets.SocketException)
        {
        }
    }
}
