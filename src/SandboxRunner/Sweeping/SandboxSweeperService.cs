using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SandboxRunner.Telemetry;

namespace SandboxRunner.Sweeping;

/// <summary>Sweeps at start-up and then every interval, for as long as the host runs.</summary>
internal sealed class SandboxSweeperService(ISandboxSweeper sweeper, TimeSpan interval, TimeProvider timeProvider, ILogger<SandboxSweeperService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        do
        {
            try
            {
                await sweeper.SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is SandboxException)
            {
                Log.SweepFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
