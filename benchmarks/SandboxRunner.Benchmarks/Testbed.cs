namespace SandboxRunner.Benchmarks;

/// <summary>Where the benchmarks find the engine and the image; overridable through the environment.</summary>
internal static class Testbed
{
    public static readonly string Endpoint = Setting("BENCH_DOCKER_ENDPOINT", "unix:///var/run/docker.sock");

    public static readonly string Image = Setting("BENCH_IMAGE", "127.0.0.1:5000/sandboxrunner/busybox:1");

    /// <summary>The packaged 20.10 CLI (another one lives in /usr/local/bin).</summary>
    public static readonly string DockerCli = Setting("BENCH_DOCKER_CLI", "/usr/bin/docker");

    public static readonly string[] Command = ["echo", "hello"];

    public const string ExpectedOutput = "hello\n";

    /// <summary>A label on every container the benchmarks create, so leftovers are easy to find.</summary>
    public const string BenchmarkLabel = "benchmark.sandboxrunner";

    private static string Setting(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    /// <summary>Testcontainers asks for API 1.44, which this engine refuses; its reaper image cannot be pulled here.</summary>
    public static void ConfigureTestcontainers()
    {
        Environment.SetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED", "true");
        Environment.SetEnvironmentVariable("DOCKER_API_VERSION", "1.41");
    }

    public static void Check(string output, string who)
    {
        if (!string.Equals(output, ExpectedOutput, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{who}: unexpected output '{output}'.");
        }
    }
}
