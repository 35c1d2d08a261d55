using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxRunner.Sweeping;
using SandboxRunner.Validation;

// Microsoft asks third parties not to put extensions in its DI namespace.
namespace SandboxRunner;

/// <summary>Registers the sandbox runner with dependency injection.</summary>
public static class SandboxRunnerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISandboxRunner"/> as a singleton on the Docker engine, with options validated at
    /// start-up. Safe to call more than once: later calls add configuration, never a second runner.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddSandboxRunner(this IServiceCollection services, Action<SandboxRunnerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddCore(services).Configure(configure);
        return services;
    }

    /// <summary>
    /// Registers <see cref="ISandboxRunner"/> as a singleton on the Docker engine, with options bound from
    /// <paramref name="configuration"/> (for example the section <see cref="SandboxRunnerOptions.SectionName"/>)
    /// and validated at start-up.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section holding the options.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddSandboxRunner(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddCore(services).Bind(configuration);
        return services;
    }

    /// <summary>
    /// Registers <see cref="ISandboxSweeper"/> and a hosted service that sweeps orphaned sandboxes at start-up
    /// and then every <paramref name="interval"/>. Call <c>AddSandboxRunner</c> too, for the options.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="interval">The time between sweeps; the default is 5 minutes.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddSandboxRunnerSweeper(this IServiceCollection services, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var every = interval ?? TimeSpan.FromMinutes(5);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero, nameof(interval));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISandboxSweeper>(provider => SandboxRunnerFactory.CreateDockerSweeper(
            provider.GetRequiredService<IOptions<SandboxRunnerOptions>>().Value,
            provider.GetService<ILoggerFactory>(),
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SandboxSweeperService>(provider => new SandboxSweeperService(
            provider.GetRequiredService<ISandboxSweeper>(),
            every,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<SandboxSweeperService>>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<SandboxSweeperService>.Instance)));
        return services;
    }

    private static OptionsBuilder<SandboxRunnerOptions> AddCore(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SandboxRunnerOptions>>(SandboxRunnerOptionsValidator.Instance));
        services.TryAddSingleton<ISandboxRunner>(provider => SandboxRunnerFactory.CreateDocker(
            provider.GetRequiredService<IOptions<SandboxRunnerOptions>>().Value,
            provider.GetService<ILoggerFactory>(),
            provider.GetRequiredService<TimeProvider>()));
        return services.AddOptions<SandboxRunnerOptions>().ValidateOnStart();
    }
}
