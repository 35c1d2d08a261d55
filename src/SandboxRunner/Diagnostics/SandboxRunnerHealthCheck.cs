using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SandboxRunner.Diagnostics;

/// <summary>
/// Healthy when the engine answers and every operation a runner needs is allowed; unhealthy otherwise,
/// naming the denied operations and the permissions to grant.
/// </summary>
internal sealed class SandboxRunnerHealthCheck(ISandboxAccessProbe probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var report = await probe.ProbeAsync(cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["endpoint"] = report.Endpoint,
            ["apiVersion"] = report.ApiVersion ?? "unknown",
        };
        foreach (var check in report.Checks)
        {
            data[check.Operation] = check.Allowed ? "allowed" : "denied: " + check.Detail;
        }

        if (report.AllAllowed)
        {
            return HealthCheckResult.Healthy($"Engine at {report.Endpoint} (API {report.ApiVersion}) allows every operation.", data);
        }

        var denied = report.Checks.Where(c => !c.Allowed).ToList();
        var grant = string.Join(", ", report.MissingPermissions.Select(p => p + "=1"));
        return new HealthCheckResult(
            context.Registration.FailureStatus,
            $"Engine at {report.Endpoint}: {string.Join(", ", denied.Select(c => c.Operation))} denied or unreachable; grant {grant}.",
            data: data);
    }
}
