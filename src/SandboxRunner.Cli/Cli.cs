using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SandboxRunner.Cli;

/// <summary>What every subcommand shares: building a runner and turning faults into exit codes.</summary>
internal static class Cli
{
    public static Task<int> WithRunnerAsync(string? host, Func<ISandboxRunner, Task<int>> action) =>
        WithOptionsAsync(host, async (options, loggerFactory) =>
        {
            await using var runner = SandboxRunnerFactory.CreateDocker(options, loggerFactory);
            return await action(runner).ConfigureAwait(false);
        });

    public static Task<int> WithOptionsAsync(string? host, Func<SandboxRunnerOptions, Task<int>> action) =>
        WithOptionsAsync(host, (options, _) => action(options));

    private static async Task<int> WithOptionsAsync(string? host, Func<SandboxRunnerOptions, ILoggerFactory, Task<int>> action)
    {
        using var loggerFactory = LoggerFactory.Create(builder => builder
            .AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(Environment.GetEnvironmentVariable("SANDBOXRUN_LOG") is { Length: > 0 } level && Enum.TryParse<LogLevel>(level, true, out var parsed) ? parsed : LogLevel.Warning));
        try
        {
            return await action(new SandboxRunnerOptions { Endpoint = host }, loggerFactory).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("sandboxrun: invalid request: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync("sandboxrun: invalid options: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (SandboxException e)
        {
            await Console.Error.WriteLineAsync($"sandboxrun: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.InfrastructureError;
        }
    }
}
