using BenchmarkDotNet.Attributes;

namespace SandboxRunner.Benchmarks;

/// <summary>
/// <see cref="Concurrency"/> cold runs started together; one operation is the whole batch, so throughput is
/// Concurrency / Mean and the Ratio column compares the batch times directly.
/// </summary>
[BenchmarkCategory("Throughput")]
public class ThroughputBenchmarks
{
    private ColdContenders _contenders = null!;

    [Params(1, 2, 4, 8, 16)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup() => _contenders = ColdContenders.CreateAsync(maxConcurrentRuns: 16).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _contenders.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "Floor x N concurrent")]
    public Task Floor() => Batch(_contenders.FloorAsync);

    [Benchmark(Description = "SandboxRunner x N concurrent")]
    public Task SandboxRunner() => Batch(_contenders.LibraryAsync);

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
