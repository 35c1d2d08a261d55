using BenchmarkDotNet.Attributes;

namespace SandboxRunner.Benchmarks;

/// <summary>
/// <see cref="Concurrency"/> cold runs started together; one operation is the whole batch, so throughput is
/// Concurrency / Mean and the Ratio column compares the batch times directly.
/// </summary>
[BenchmarkCategory("Throughput")]
public class ThroughputBenchmarks
{
    private ISandboxRunner _runner = null!;
    private FloorRunner _floor = null!;

    [Params(1, 2, 4, 8, 16)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _runner = LibraryRunner.Create(Testbed.Endpoint, maxConcurrentRuns: 16);
        _floor = new FloorRunner(Testbed.Endpoint);
        Testbed.Check(LibraryRunner.RunAsync(_runner).GetAwaiter().GetResult(), "SandboxRunner");
        Testbed.Check(_floor.RunAsync().GetAwaiter().GetResult().StandardOutput, "floor");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runner.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _floor.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Floor x N concurrent")]
    public Task Floor() => Batch(() => _floor.RunAsync());

    [Benchmark(Description = "SandboxRunner x N concurrent")]
    public Task SandboxRunner() => Batch(() => LibraryRunner.RunAsync(_runner));

    private Task Batch(Func<Task> run)
    {
        var tasks = new Task[Concurrency];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = Task.Run(run);
        }

        return Task.WhenAll(tasks);
    }
}
