using BenchmarkDotNet.Attributes;

namespace SandboxRunner.Benchmarks;

/// <summary>One cold run of <c>echo hello</c> in the hardened profile, four ways, side by side.</summary>
[BenchmarkCategory("Latency")]
public class LatencyBenchmarks
{
    private ColdContenders _contenders = null!;

    [GlobalSetup]
    public void Setup()
    {
        Testbed.ConfigureTestcontainers();
        _contenders = ColdContenders.CreateAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _contenders.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Floor (hand-written Docker.DotNet)")]
    public Task<string> Floor() => _contenders.FloorAsync();

    [Benchmark(Description = "SandboxRunner RunAsync (cold)")]
    public Task<string> SandboxRunner() => _contenders.LibraryAsync();

    [Benchmark(Description = "docker run --rm (CLI 20.10)")]
    public Task<string> DockerCli() => CliRunner.RunAsync();

    [Benchmark(Description = "Testcontainers 4.17 (json-file logs)")]
    public Task<string> Testcontainers() => TestcontainersRunner.RunAsync();
}
