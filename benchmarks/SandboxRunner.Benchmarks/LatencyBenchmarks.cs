using BenchmarkDotNet.Attributes;

namespace SandboxRunner.Benchmarks;

/// <summary>One cold run of <c>echo hello</c> in the hardened profile, four ways, side by side.</summary>
[BenchmarkCategory("Latency")]
public class LatencyBenchmarks
{
    private ISandboxRunner _runner = null!;
    private FloorRunner _floor = null!;

    [GlobalSetup]
    public void Setup()
    {
        Testbed.ConfigureTestcontainers();
        _runner = LibraryRunner.Create(Testbed.Endpoint);
        _floor = new FloorRunner(Testbed.Endpoint);

        // First use of each path (connection, API version, image cache, JIT) stays out of the measurements.
        Testbed.Check(LibraryRunner.RunAsync(_runner).GetAwaiter().GetResult(), "SandboxRunner");
        Testbed.Check(_floor.RunAsync().GetAwaiter().GetResult().StandardOutput, "floor");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runner.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _floor.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Floor (hand-written Docker.DotNet)")]
    public async Task<string> Floor() => (await _floor.RunAsync()).StandardOutput;

    [Benchmark(Description = "SandboxRunner RunAsync (cold)")]
    public Task<string> SandboxRunner() => LibraryRunner.RunAsync(_runner);

    [Benchmark(Description = "docker run --rm (CLI 20.10)")]
    public Task<string> DockerCli() => CliRunner.RunAsync();

    [Benchmark(Description = "Testcontainers 4.17 (json-file logs)")]
    public Task<string> Testcontainers() => TestcontainersRunner.RunAsync();
}
