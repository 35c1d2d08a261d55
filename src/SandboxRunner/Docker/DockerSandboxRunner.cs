using global::Docker.DotNet;
using global::Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SandboxRunner.Execution;
using SandboxRunner.Pooling;
using SandboxRunner.Resilience;
using SandboxRunner.Telemetry;
using SandboxRunner.Validation;

namespace SandboxRunner.Docker;

/// <summary>
/// Runs each request in a fresh hardened container: ensure the image, create, place files, attach,
/// start, wait with the deadline (stop-then-kill at it), read the final state, and force-remove the
/// container on every path, never on the caller's token.
/// </summary>
internal sealed partial class DockerSandboxRunner : ISandboxRunner
{
    /// <summary>How long a create may take; it is not cancelled by the caller, so a container is never created unseen.</summary>
    internal static readonly TimeSpan CreateTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long output may keep arriving after the program ended.</summary>
    internal static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long the final wait after a stop or kill may take.</summary>
    internal static readonly TimeSpan FinalWaitTimeout = TimeSpan.FromSeconds(15);

    private readonly SandboxRunnerOptions _options;
    private readonly IDockerClientSource _clients;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ImageEnsurer _images;
    private readonly SandboxTerminator _terminator;
    private readonly SandboxRemover _remover;
    private readonly RunUser _user;
    private readonly SandboxRunnerMetrics _metrics;
    private readonly AdmissionGate _admission;
    private readonly WarmPool[] _pools;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;
    private int _active;

    public DockerSandboxRunner(SandboxRunnerOptions options, IDockerClientSource clients, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clients);
        SandboxRunnerOptionsValidator.ThrowIfInvalid(options);
        _options = options;
        _clients = clients;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("SandboxRunner");
        _images = new ImageEnsurer(options, _logger);
        _terminator = new SandboxTerminator(options.StopGracePeriod, _timeProvider, _logger);
        _remover = new SandboxRemover(options.CleanupTimeout, _timeProvider, _logger);
        _user = RunUser.TryParse(options.User, out var user) ? user : throw new InvalidOperationException("unreachable: validated");
        _metrics = SandboxRunnerMetrics.Instance;
        _admission = new AdmissionGate(options.MaxConcurrentRuns, options.MaxQueuedRuns, options.QueueTimeout, _timeProvider);
        _pools = [.. options.WarmPools.Select(CreatePool)];
        foreach (var pool in _pools)
        {
            pool.Start();
        }
    }

    public async Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default)
    {
        var plan = RequestValidator.Validate(request, _options);
        Interlocked.Increment(ref _active);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return await RunAdmittedAsync(plan, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            LeaveWork();
        }
    }

    /// <summary>Ends one piece of work in progress; the last one after disposal began lets disposal go on.</summary>
    private void LeaveWork()
    {
        if (Interlocked.Decrement(ref _active) == 0 && Volatile.Read(ref _disposed) != 0)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>
    /// Waits for the runs in progress to end (each is bounded by its deadline and cleanup timeout), so
    /// that their sandboxes are still removed through the client, then releases the client.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Stop refilling and remove the idle warm sandboxes first: their removals count as work in progress.
        foreach (var pool in _pools)
        {
            await pool.DisposeAsync().ConfigureAwait(false);
        }

        if (Volatile.Read(ref _active) > 0)
        {
            await _drained.Task.ConfigureAwait(false);
        }

        await _clients.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<SandboxResult> RunAdmittedAsync(RunPlan plan, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var lease = await _admission.EnterAsync(cancellationToken).ConfigureAwait(false);

        var run = new RunState(Guid.NewGuid().ToString("N"), plan, _timeProvider);
        using var activity = SandboxRunnerMetrics.ActivitySource.StartActivity("sandbox.run");
        _metrics.RunStarted();
        try
        {
            var result = await RunCoreAsync(run, cancellationToken).ConfigureAwait(false);
            _metrics.RunFinished(result.Status.ToString(), result.Timings.Total);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.Cancelled(_logger, run.RunId, run.SandboxId);
            _metrics.RunFinished("Cancelled", run.Elapsed);
            throw;
        }
        catch (OperationCanceledException e)
        {
            // Not the caller's token: one of the runner's own bounds (create, final wait, inspect) fired.
            var translated = new SandboxEngineException(run.Operation, run.SandboxId, null, "the engine did not answer in time", e);
            Log.RunFailed(_logger, translated, run.RunId, run.SandboxId, run.Operation);
            _metrics.RunFinished("Failed", run.Elapsed);
            throw translated;
        }
        catch (Exception e) when (e is SandboxException || DockerErrors.IsEngineFault(e))
        {
            var translated = DockerErrors.Translate(e, run.Operation, run.SandboxId) ?? e;
            Log.RunFailed(_logger, translated, run.RunId, run.SandboxId, run.Operation);
            _metrics.RunFinished("Failed", run.Elapsed);
            if (ReferenceEquals(translated, e))
            {
                throw;
            }

            throw translated;
        }
        finally
        {
            _metrics.RunEnded();
        }
    }

    private async Task<SandboxResult> RunCoreAsync(RunState run, CancellationToken cancellationToken)
    {
        run.Operation = SandboxOperations.Connect;
        var client = await _clients.GetClientAsync(cancellationToken).ConfigureAwait(false);

        RunOutcome outcome = TakeWarm(run.Plan) is { } warm
            ? await RunWarmAsync(client, run, warm, cancellationToken).ConfigureAwait(false)
            : await RunColdAsync(client, run, cancellationToken).ConfigureAwait(false);

        if (run.EngineLostAtEnd && outcome.Termination == SandboxTermination.Exited)
        {
            // The engine went away as the program "exited": a stopping engine stops its containers, and the
            // exit it reports is then its own doing, not the program's. A result would lie.
            run.Operation = SandboxOperations.Wait;
            throw new SandboxEngineException(
                SandboxOperations.Wait, run.SandboxId, null, "the engine became unreachable as the program ended; the exit it reported may be the engine stopping it");
        }

        var result = outcome.ToResult(run);
        Log.Finished(_logger, run.RunId, result.SandboxId, result.Status, result.ExitCode, (long)result.Timings.Total.TotalMilliseconds);
        return result;
    }

    private async Task<RunOutcome> RunColdAsync(IDockerClient client, RunState run, CancellationToken cancellationToken)
    {
        run.Operation = SandboxOperations.ImagePull;
        run.ImageId = await _images.EnsureAsync(client, run.Plan.Image, cancellationToken).ConfigureAwait(false);
        run.Timings.Image = run.Lap();

        try
        {
            await CreateAsync(client, run, cancellationToken).ConfigureAwait(false);
            run.Timings.Create = run.Lap();
            return await ExecuteAsync(client, run, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (run.CreateAttempted)
            {
                run.Lap();
                var removal = await _remover.RemoveReportingAsync(client, run.SandboxId ?? run.Name).ConfigureAwait(false);
                run.Timings.Cleanup = run.Lap();
                run.CleanupFailed = !removal.Removed;
                run.EngineLostAtEnd = removal.EngineUnreachable;
                if (!removal.Removed)
                {
                    _metrics.CleanupFailed();
                }
            }
        }
    }
}
