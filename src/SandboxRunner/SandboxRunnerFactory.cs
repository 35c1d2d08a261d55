using Microsoft.Extensions.Logging;
using SandboxRunner.Docker;
using SandboxRunner.Validation;

namespace SandboxRunner;

/// <summary>
/// Creates runners without dependency injection. With dependency injection, use
/// <see cref="SandboxRunnerServiceCollectionExtensions.AddSandboxRunner(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{SandboxRunnerOptions})"/>.
/// </summary>
public static class SandboxRunnerFactory
{
    /// <summary>Creates a runner on the Docker engine named by <paramref name="options"/>.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="loggerFactory">Where the runner logs, or <see langword="null"/> for nowhere.</param>
    /// <param name="timeProvider">The clock of deadlines and retries, or <see langword="null"/> for the system clock.</param>
    /// <returns>A runner; dispose it to release its connection to the engine.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    /// <exception cref="SandboxEngineUnavailableException">The endpoint is not a supported URI.</exception>
    public static ISandboxRunner CreateDocker(SandboxRunnerOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        var (clients, _) = CreateClientSource(options, loggerFactory);
        return new DockerSandboxRunner(options, clients, timeProvider, loggerFactory);
    }

    /// <summary>Creates a sweeper of orphaned sandboxes on the Docker engine named by <paramref name="options"/>.</summary>
    /// <param name="options">The options; validated here. Only sandboxes carrying its <see cref="SandboxRunnerOptions.Labels"/> are considered.</param>
    /// <param name="loggerFactory">Where the sweeper logs, or <see langword="null"/> for nowhere.</param>
    /// <param name="timeProvider">The clock that expiries are judged by, or <see langword="null"/> for the system clock.</param>
    /// <returns>A sweeper; dispose it to release its connection to the engine.</returns>
    public static ISandboxSweeper CreateDockerSweeper(SandboxRunnerOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        var (clients, logger) = CreateClientSource(options, loggerFactory);
        return new DockerSandboxSweeper(options, clients, timeProvider ?? TimeProvider.System, logger);
    }

    /// <summary>Creates an access preflight for the Docker engine (or socket proxy) named by <paramref name="options"/>.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <returns>A probe.</returns>
    public static ISandboxAccessProbe CreateDockerAccessProbe(SandboxRunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SandboxRunnerOptionsValidator.ThrowIfInvalid(options);
        return new DockerAccessProbe(EndpointResolver.Resolve(options.Endpoint), options.ConnectTimeout);
    }

    private static (DockerClientSource Clients, ILogger Logger) CreateClientSource(SandboxRunnerOptions options, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        SandboxRunnerOptionsValidator.ThrowIfInvalid(options);
        var logger = (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("SandboxRunner");
        return (new DockerClientSource(EndpointResolver.Resolve(options.Endpoint), options.ConnectTimeout, logger), logger);
    }
}
