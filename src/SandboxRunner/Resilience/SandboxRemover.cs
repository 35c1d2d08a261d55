using System.Net;
using global::Docker.DotNet;
using global::Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using SandboxRunner.Docker;
using SandboxRunner.Telemetry;

namespace SandboxRunner.Resilience;

/// <summary>
/// Force-removes a sandbox with its anonymous volume. Transient faults (409 removal in progress, 5xx,
/// broken or refused connections, timeouts) are retried with backoff within a bounded total time; a
/// sandbox that is already gone counts as removed. A removal that still fails is logged, counted and
/// reported, and left for the orphan sweeper. Never runs on the caller's token.
/// </summary>
internal sealed class SandboxRemover
{
    /// <summary>How long one removal request may take.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;

    public SandboxRemover(TimeSpan cleanupTimeout, TimeProvider timeProvider, ILogger logger)
    {
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = "sandbox-remove" }
            .AddTimeout(cleanupTimeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(2),
                OnRetry = args =>
                {
                    var sandboxId = args.Context.Properties.GetValue(SandboxIdKey, "?");
                    Log.RemoveRetry(_logger, args.Outcome.Exception, sandboxId, args.AttemptNumber + 1);
                    return default;
                },
            })
            .AddTimeout(AttemptTimeout)
            .Build();
    }

    internal static ResiliencePropertyKey<string> SandboxIdKey { get; } = new("sandboxrunner.sandbox-id");

    /// <summary>Removes the sandbox named or identified by <paramref name="sandboxId"/>; returns whether it is gone.</summary>
    public async Task<bool> RemoveAsync(IDockerClient client, string sandboxId) =>
        (await RemoveReportingAsync(client, sandboxId).ConfigureAwait(false)).Removed;

    /// <summary>
    /// Removes the sandbox and also tells whether any attempt found the engine unreachable (no answer at all,
    /// as opposed to an HTTP error): right after a program ended, that means the engine went away around
    /// its end, and the exit it reported may be the engine stopping the program.
    /// </summary>
    public async Task<RemovalResult> RemoveReportingAsync(IDockerClient client, string sandboxId)
    {
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        context.Properties.Set(SandboxIdKey, sandboxId);
        var attempts = new AttemptLog();
        try
        {
            await _pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        await state.client.Containers.RemoveContainerAsync(
                            state.sandboxId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ctx.CancellationToken).ConfigureAwait(false);
                    }
                    catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
                    {
                        // Already gone: that is what removal is for.
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException)
                    {
                        state.attempts.EngineUnreachable = true;
                        throw;
                    }
                },
                context,
                (client, sandboxId, attempts)).ConfigureAwait(false);
            return new RemovalResult(true, attempts.EngineUnreachable);
        }
        catch (Exception e) when (e is TimeoutRejectedException || DockerErrors.IsEngineFault(e))
        {
            Log.RemoveFailed(_logger, e, sandboxId);
            return new RemovalResult(false, attempts.EngineUnreachable);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static bool IsTransient(Exception exception) => exception switch
    {
        DockerApiException e => e.StatusCode == HttpStatusCode.Conflict || (int)e.StatusCode >= 500,
        TimeoutRejectedException or HttpRequestException or IOException or System.Net.Sockets.SocketException => true,
        _ => false,
    };

    /// <summary>What one removal found.</summary>
    internal readonly record struct RemovalResult(bool Removed, bool EngineUnreachable);

    private sealed class AttemptLog
    {
        public bool EngineUnreachable { get; set; }
    }
}
