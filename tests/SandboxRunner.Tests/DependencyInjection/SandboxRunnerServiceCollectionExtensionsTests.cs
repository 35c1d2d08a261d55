using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SandboxRunner.Docker;

namespace SandboxRunner.Tests.DependencyInjection;

[TestFixture]
[Category("Unit")]
[CancelAfter(30_000)]
public sealed class SandboxRunnerServiceCollectionExtensionsTests
{
    // Never contacted: resolving a runner does not connect, and no test runs one.
    private const string Endpoint = "tcp://fake-engine.invalid:2375";

    [Test]
    public void AddSandboxRunner_CalledTwice_RegistersOneSingletonRunnerAndOneValidator()
    {
        var services = new ServiceCollection();

        services.AddSandboxRunner(o => o.Endpoint = Endpoint);
        services.AddSandboxRunner(o => o.DefaultImage = "busybox");

        Assert.Multiple(() =>
        {
            Assert.That(services.Where(d => d.ServiceType == typeof(ISandboxRunner)).Select(d => d.Lifetime), Is.EqualTo(new[] { ServiceLifetime.Singleton }));
            Assert.That(services.Count(d => d.ServiceType == typeof(IValidateOptions<SandboxRunnerOptions>)), Is.EqualTo(1));
            Assert.That(services.Count(d => d.ServiceType == typeof(TimeProvider)), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task AddSandboxRunner_CalledTwice_AppliesBothConfigurationsToOneRunner(CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddSandboxRunner(o => o.Endpoint = Endpoint);
        services.AddSandboxRunner(o => o.DefaultImage = "busybox");
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SandboxRunnerOptions>>().Value;
        var runner = provider.GetRequiredService<ISandboxRunner>();

        Assert.Multiple(() =>
        {
            Assert.That((options.Endpoint, options.DefaultImage), Is.EqualTo((Endpoint, "busybox")));
            Assert.That(runner, Is.TypeOf<DockerSandboxRunner>());
            Assert.That(provider.GetRequiredService<ISandboxRunner>(), Is.SameAs(runner));
        });
        cancellationToken.ThrowIfCancellationRequested();
    }

    [Test]
    public async Task AddSandboxRunner_Configuration_BindsOptionsLimitsLabelsAndCredentials(CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SandboxRunner:Endpoint"] = Endpoint,
            ["SandboxRunner:DefaultImage"] = "python:3.12-slim",
            ["SandboxRunner:PullPolicy"] = "Never",
            ["SandboxRunner:DefaultTimeout"] = "00:00:05",
            ["SandboxRunner:User"] = "1000:1000",
            ["SandboxRunner:Limits:MemoryBytes"] = "134217728",
            ["SandboxRunner:Limits:CpuCores"] = "0.5",
            ["SandboxRunner:Labels:team"] = "judge",
            ["SandboxRunner:RegistryCredentials:ghcr.io:Username"] = "me",
            ["SandboxRunner:RegistryCredentials:ghcr.io:Password"] = "secret",
        }).Build();
        var services = new ServiceCollection();
        services.AddSandboxRunner(configuration.GetSection(SandboxRunnerOptions.SectionName));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SandboxRunnerOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(options.Endpoint, Is.EqualTo(Endpoint));
            Assert.That(options.DefaultImage, Is.EqualTo("python:3.12-slim"));
            Assert.That(options.PullPolicy, Is.EqualTo(ImagePullPolicy.Never));
            Assert.That(options.DefaultTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(options.User, Is.EqualTo("1000:1000"));
            Assert.That(options.Limits.MemoryBytes, Is.EqualTo(128L << 20));
            Assert.That(options.Limits.CpuCores, Is.EqualTo(0.5));
            Assert.That(options.Limits.MaxProcesses, Is.EqualTo(new SandboxLimitOptions().MaxProcesses), "unset limits keep their defaults");
            Assert.That(options.Labels["team"], Is.EqualTo("judge"));
            Assert.That(options.RegistryCredentials["GHCR.IO"].Password, Is.EqualTo("secret"));
        });
        cancellationToken.ThrowIfCancellationRequested();
    }

    [Test]
    public async Task AddSandboxRunner_InvalidOptions_FailsAtHostStart(CancellationToken cancellationToken)
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddSandboxRunner(o =>
            {
                o.Endpoint = Endpoint;
                o.User = "0:0";
            }))
            .Build();

        var error = await Fakes.Expect.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(cancellationToken));

        Assert.That(error.Failures, Has.Some.Contains("User"));
    }

    [Test]
    public async Task AddSandboxRunner_InvalidConfiguration_FailsAtHostStart(CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Endpoint"] = Endpoint,
            ["Limits:MemoryBytes"] = "1024",
            ["Labels:sandboxrunner.managed"] = "false",
        }).Build();
        using var host = new HostBuilder().ConfigureServices(services => services.AddSandboxRunner(configuration)).Build();

        var error = await Fakes.Expect.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(cancellationToken));

        Assert.That(error.Failures, Has.Some.Contains("Limits.MemoryBytes").And.Some.Contains("sandboxrunner."));
    }

    [Test]
    public async Task AddSandboxRunner_ValidOptions_HostStarts(CancellationToken cancellationToken)
    {
        using var host = new HostBuilder().ConfigureServices(services => services.AddSandboxRunner(o => o.Endpoint = Endpoint)).Build();

        await host.StartAsync(cancellationToken);
        await host.StopAsync(cancellationToken);

        Assert.That(host.Services.GetRequiredService<ISandboxRunner>(), Is.Not.Null);
    }

    [Test]
    public async Task AddSandboxRunner_TimeProviderRegisteredBefore_IsKept(CancellationToken cancellationToken)
    {
        var fake = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fake);

        services.AddSandboxRunner(o => o.Endpoint = Endpoint);
        await using var provider = services.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredService<TimeProvider>(), Is.SameAs(fake));
            Assert.That(services.Count(d => d.ServiceType == typeof(TimeProvider)), Is.EqualTo(1));
        });
        cancellationToken.ThrowIfCancellationRequested();
    }

    [Test]
    public async Task AddSandboxRunner_NoTimeProvider_RegistersTheSystemClock(CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();

        services.AddSandboxRunner(o => o.Endpoint = Endpoint);
        await using var provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<TimeProvider>(), Is.SameAs(TimeProvider.System));
        cancellationToken.ThrowIfCancellationRequested();
    }

    [Test]
    public void AddSandboxRunner_NullArguments_Throw()
    {
        var services = new ServiceCollection();

        Assert.Multiple(() =>
        {
            Assert.That(() => services.AddSandboxRunner((Action<SandboxRunnerOptions>)null!), Throws.ArgumentNullException);
            Assert.That(() => services.AddSandboxRunner((IConfiguration)null!), Throws.ArgumentNullException);
            Assert.That(() => ((IServiceCollection)null!).AddSandboxRunner(_ => { }), Throws.ArgumentNullException);
        });
    }
}
