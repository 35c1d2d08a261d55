using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SandboxRunner.IntegrationTests.Proxy;

/// <summary>The health check, registered through DI, against the default proxy and one that denies IMAGES.</summary>
[TestFixture]
[Category("Integration")]
public sealed class HealthCheckTests
{
    private const int DeniedPort = 23820;

    [Test]
    [CancelAfter(60_000)]
    public async Task CheckHealth_MinimalProxy_IsHealthy(CancellationToken cancellationToken)
    {
        var report = await CheckAsync(Infrastructure.EngineEndpoint.Proxy.Uri, cancellationToken);

        Assert.That(report.Status, Is.EqualTo(HealthStatus.Healthy), report.Entries["sandboxrunner"].Description);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task CheckHealth_ProxyWithoutImages_IsUnhealthyNamingThePermission(CancellationToken cancellationToken)
    {
        await using var proxy = await ProxyInstance.StartAsync(DeniedPort, ProxyInstance.MinimalSet("IMAGES"), cancellationToken);

        var report = await CheckAsync(proxy.Endpoint, cancellationToken);

        var entry = report.Entries["sandboxrunner"];
        Assert.Multiple(() =>
        {
            Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(entry.Description, Does.Contain("IMAGES=1"));
            Assert.That(entry.Description, Does.Not.Contain("POST=1"));
            Assert.That(entry.Data[SandboxOperations.ImageInspect], Is.EqualTo("denied: 403: denied by the proxy"));
        });
    }

    private static async Task<HealthReport> CheckAsync(string endpoint, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSandboxRunner(o => o.Endpoint = endpoint);
        services.AddHealthChecks().AddSandboxRunner();
        await using var provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(cancellationToken);
    }
}
