using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using SandboxRunner.Benchmarks;

// Modes:
//   (none)          the BenchmarkDotNet benchmarks, full job (pass BenchmarkDotNet arguments, e.g. --filter *Latency*)
//   --short         every benchmark once (dry job, in process) plus both measured loops with a few runs: a smoke check
//   --count-calls   Engine API calls per run through a proxy's access log   [--runs N, default 20]
//   --cpu-time      process CPU time and allocations per run                 [--runs N per block, default 10; --rounds R, default 5]
//   --throughput    throughput at 1-16 concurrent runs, floor and SandboxRunner batches alternating [--rounds R, default 20]
var rest = new List<string>(args);
var isShort = Take(rest, "--short");
var countCalls = Take(rest, "--count-calls");
var cpuTime = Take(rest, "--cpu-time");
var throughput = Take(rest, "--throughput");
var runs = TakeValue(rest, "--runs");
var rounds = TakeValue(rest, "--rounds");
var reports = Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts", "results");
await Testbed.EnsureImagesAsync();

if (countCalls)
{
    return await CallCountMode.RunAsync(runs ?? (isShort ? 1 : 20), reports);
}

if (cpuTime)
{
    return await CpuTimeMode.RunAsync(runs ?? (isShort ? 1 : 10), rounds ?? (isShort ? 1 : 5), reports);
}

if (throughput)
{
    return await InterleavedThroughputMode.RunAsync(rounds ?? (isShort ? 1 : 20), reports);
}

Testbed.ConfigureTestcontainers();
var job = isShort
    ? Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Short")
    : Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(30)
        .WithInvocationCount(1)
        .WithUnrollFactor(1)
        .WithId("Full");
var config = DefaultConfig.Instance
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
    .WithOptions(ConfigOptions.DisableLogFile);
if (!rest.Any(a => a.StartsWith("--filter", StringComparison.Ordinal)))
{
    rest.AddRange(["--filter", "*"]);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(LatencyBenchmarks).Assembly).Run([.. rest], config).ToList();
var failed = summaries.Count == 0 || summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
if (isShort && !failed)
{
    failed |= await CallCountMode.RunAsync(1, reports, includeTestcontainers: false) != 0;
    failed |= await CpuTimeMode.RunAsync(1, 1, reports) != 0;
    failed |= await InterleavedThroughputMode.RunAsync(1, reports) != 0;
}

return failed ? 1 : 0;

static bool Take(List<string> list, string flag) => list.Remove(flag);

static int? TakeValue(List<string> list, string name)
{
    var index = list.IndexOf(name);
    if (index < 0 || index + 1 >= list.Count)
    {
        return null;
    }

    var value = int.Parse(list[index + 1], CultureInfo.InvariantCulture);
    list.RemoveRange(index, 2);
    return value;
}
