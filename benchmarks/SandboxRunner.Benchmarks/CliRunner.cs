using System.Diagnostics;

namespace SandboxRunner.Benchmarks;

/// <summary><c>docker run --rm</c> through the packaged CLI, with the same hardened flags.</summary>
internal static class CliRunner
{
    public static async Task<string> RunAsync(string? host = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(Testbed.DockerCli)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (host is not null)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add(host);
        }

        foreach (var argument in HardenedProfile.CliArguments("cli-" + Guid.NewGuid().ToString("N")))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = await stdout;
        var error = await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker run exited with {process.ExitCode}: {error}");
        }

        return output;
    }
}
