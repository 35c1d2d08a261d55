namespace SandboxRunner.Benchmarks;

/// <summary>SandboxRunner with its defaults (the hardened profile), against the given endpoint.</summary>
internal static class LibraryRunner
{
    public static readonly SandboxRequest Request = new() { Command = Testbed.Command };

    public static ISandboxRunner Create(string endpoint, int maxConcurrentRuns = 16)
    {
        var options = new SandboxRunnerOptions
        {
            Endpoint = endpoint,
            DefaultImage = Testbed.Image,
            MaxConcurrentRuns = maxConcurrentRuns,
        };
        options.Labels[Testbed.BenchmarkLabel] = "sandboxrunner";
        return SandboxRunnerFactory.CreateDocker(options);
    }

    public static async Task<string> RunAsync(ISandboxRunner runner, CancellationToken cancellationToken = default)
    {
        var result = await runner.RunAsync(Request, cancellationToken);
        if (result.Status != SandboxStatus.Completed || result.ExitCode != 0)
        {
            throw new InvalidOperationException($"SandboxRunner: {result.Status}, exit {result.ExitCode}: {result.StandardErrorText}");
        }

        return result.StandardOutputText;
    }
}
