using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SandboxRunner.Cli;

/// <summary>What every subcommand shares: building a runner and turning faults into exit codes.</summary>
internal static class Cli
{
    public static async Task<int> WithRunnerAsync(string? host, Func<ISandboxRunner, Task<int>> action)
    {
        using var loggerFactory = LoggerFactory.Create(builder => builder
            .AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(Environment.GetEnvironmentVariable("SANDBOXRUN_LOG") is { Length: > 0 } level && Enum.TryParse<LogLevel>(level, true, out var parsed) ? parsed : LogLevel.Warning));
        try
        {
            await using var runner = SandboxRunnerFactory.CreateDocker(new SandboxRunnerOptions { Endpoint = host }, loggerFactory);
            return await action(runner).ConfigureAwait(false);
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
