using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SandboxRunner.Diagnostics;

namespace SandboxRunner;

/// <summary>Adds the sandbox runner's health check: engine reachable, and every operation allowed.</summary>
public static class SandboxRunnerHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check that probes the engine (or the socket proxy in front of it) with harmless
    /// requests. Call <c>AddSandboxRunner</c> too, for the options.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The name of the check.</param>
    /// <param name="failureStatus">The status reported when an operation is denied; the default is <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags for filtering checks.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddSandboxRunner(
        this IHealthChecksBuilder builder, string name = "sandboxrunner", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            provider => new SandboxRunnerHealthCheck(
                SandboxRunnerFactory.CreateDockerAccessProbe(provider.GetRequiredService<IOptions<SandboxRunnerOptions>>().Value)),
            failureStatus,
            tags));
    }
}
