using global::Docker.DotNet;
using global::Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;
using SandboxRunner.Docker;
using SandboxRunner.Telemetry;

namespace SandboxRunner.Resilience;

/// <summary>
/// Ends a program that reached its deadline: stop with the grace period (SIGTERM, then the engine's own
/// SIGKILL), and kill if the stop errors or overruns its budget. Never throws: whatever it cannot end,
/// the forced removal that follows ends.
/// </summary>
internal sealed class SandboxTerminator
{
    /// <summary>How much longer than the grace period a stop may take before it counts as overrun.</summary>
    public static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(3);

    /// <summary>How long a kill may take.</summary>
    public static readonly TimeSpan KillBudget = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _grace;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _stopPipeline;
    private readonly ResiliencePipeline _killPipeline;

    public SandboxTerminator(TimeSpan grace, TimeProvider timeProvider, ILogger logger)
    {
        _grace = grace;
        _logger = logger;
        _stopPipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = "sandbox-stop" }
            .AddTimeout(grace + StopMargin)
            .Build();
        _killPipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = "sandbox-kill" }
            .AddTimeout(KillBudget)
            .Build();
    }

    /// <summary>Ends the program; tells whether it stopped within its grace or was killed.</summary>
    public async Task<SandboxTermination> TerminateAsync(IDockerClient client, string sandboxId)
    {
        if (_grace > TimeSpan.Zero)
        {
            try
            {
                var seconds = (long)Math.Ceiling(_grace.TotalSeconds);
                await _stopPipeline.ExecuteAsync(
                    async token => await client.Containers.StopContainerAsync(sandboxId, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)seconds }, token).ConfigureAwait(false),
                    CancellationToken.None).ConfigureAwait(false);
                return SandboxTermination.Stopped;
            }
            catch (Exception e) when (e is TimeoutRejectedException || DockerErrors.IsEngineFault(e))
            {
                Log.StopFailed(_logger, e, sandboxId);
            }
        }

        try
        {
            await _killPipeline.ExecuteAsync(
                async token => await client.Containers.KillContainerAsync(sandboxId, new ContainerKillParameters { Signal = "SIGKILL" }, token).ConfigureAwait(false),
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutRejectedException || DockerErrors.IsEngineFault(e))
        {
            // 409: it is no longer running, which is what a kill is for. Anything else: removal forces it.
            Log.KillFailed(_logger, e, sandboxId);
        }

        return SandboxTermination.Killed;
    }
}
