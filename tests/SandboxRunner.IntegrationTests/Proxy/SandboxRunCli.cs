using System.Diagnostics;

namespace SandboxRunner.IntegrationTests.Proxy;

/// <summary>Runs <c>dotnet sandboxrun.dll ...</c> as a separate process.</summary>
public static class SandboxRunCli
{
    public sealed record Output(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Starts the tool with <paramref name="arguments"/>; the caller owns the process (and must end it).</summary>
    public static Process Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepositoryLayout.CliDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("DOCKER_HOST");
        start.Environment.Remove("SANDBOXRUN_LOG");
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet sandboxrun.dll did not start");
    }

    /// <summary>Runs the tool to its end and returns what it printed.</summary>
    public static async Task<Output> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        await RepositoryLayout.EnsureCliBuiltAsync(cancellationToken);
        using var process = Start(arguments);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Output(process.ExitCode, await stdout, await stderr);
    }
}
