using global::Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using SandboxRunner.Resilience;
using SandboxRunner.Sweeping;
using SandboxRunner.Telemetry;

namespace SandboxRunner.Docker;

/// <summary>
/// Sweeps with the two calls a least-privilege proxy allows: <c>GET /containers/json</c> filtered by the
/// library's labels, and a forced <c>DELETE</c> of each orphan (with its anonymous volume).
/// </summary>
internal sealed class DockerSandboxSweeper : ISandboxSweeper
{
    private readonly SandboxRunnerOptions _options;
    private readonly IDockerClientSource _clients;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SandboxRemover _remover;
    private readonly Func<int, long?> _processStartTime;

    public DockerSandboxSweeper(
        SandboxRunnerOptions options, IDockerClientSource clients, TimeProvider timeProvider, ILogger logger, Func<int, long?>? processStartTime = null)
    {
        _options = options;
        _clients = clients;
        _timeProvider = timeProvider;
        _logger = logger;
        _remover = new SandboxRemover(options.CleanupTimeout, timeProvider, logger);
        _processStartTime = processStartTime ?? OrphanPolicy.LocalProcessStartTime;
    }

    public async Task<SandboxSweepReport> SweepAsync(CancellationToken cancellationToken = default)
    {
        var client = await _clients.GetClientAsync(cancellationToken).ConfigureAwait(false);
        var labelFilters = new Dictionary<string, bool>(StringComparer.Ordinal) { [SandboxLabels.Managed + "=true"] = true };
        foreach (var (key, value) in _options.Labels)
        {
            labelFilters[key + "=" + value] = true;
        }

        var containers = await EngineCall.InvokeAsync(
            SandboxOperations.List,
            null,
            () => client.Containers.ListContainersAsync(
                new ContainersListParameters
                {
                    All = true,
                    Filters = new Dictionary<string, IDictionary<string, bool>>(StringComparer.Ordinal) { ["label"] = labelFilters },
                },
                cancellationToken)).ConfigureAwait(false);

        var now = _timeProvider.GetUtcNow();
        var removed = new List<SweptSandbox>();
        var failed = new List<SweptSandbox>();
        foreach (var container in containers)
        {
            var reason = OrphanPolicy.Judge(container.Labels, now, _processStartTime);
            if (reason is null)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var runId = container.Labels?.TryGetValue(SandboxLabels.RunId, out var id) == true ? id : null;
            var swept = new SweptSandbox(container.ID, runId, reason);
            if (await _remover.RemoveAsync(client, container.ID).ConfigureAwait(false))
            {
                Log.Swept(_logger, container.ID, reason);
                removed.Add(swept);
            }
            else
            {
                failed.Add(swept);
            }
        }

        return new SandboxSweepReport(containers.Count, removed, failed);
    }

    public ValueTask DisposeAsync() => _clients.DisposeAsync();
}
