using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SandboxRunner.Benchmarks;

/// <summary>
/// <c>--cpu-time</c>: the process's own CPU time (user + system, all threads) per run, SandboxRunner next to the
/// floor (and Testcontainers for context), measured in interleaved blocks of sequential runs. The engine's CPU is
/// not in it: this is what the .NET side costs. The CLI is left out, its work is in a child process.
/// </summary>
internal static class CpuTimeMode
{
    public static async Task<int> RunAsync(int runsPerBlock, int rounds, string reportDirectory)
    {
        Testbed.ConfigureTestcontainers();
        await using var pair = await ColdContenders.CreateAsync();
        var contenders = new (string Name, Func<Task<string>> Run)[]
        {
            ("Floor (hand-written Docker.DotNet)", pair.FloorAsync),
            ("SandboxRunner RunAsync (cold)", pair.LibraryAsync),
            ("Testcontainers 4.17 (json-file logs)", () => TestcontainersRunner.RunAsync()),
        };

        var cpu = new TimeSpan[contenders.Length];
        var allocated = new long[contenders.Length];
        var wall = new TimeSpan[contenders.Length];
        foreach (var (name, run) in contenders)
        {
            for (var i = 0; i < 2; i++)
            {
                Testbed.Check(await run(), name);
            }
        }

        using var process = Process.GetCurrentProcess();
        for (var round = 0; round < rounds; round++)
        {
            for (var c = 0; c < contenders.Length; c++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var started = Stopwatch.GetTimestamp();
                for (var i = 0; i < runsPerBlock; i++)
                {
                    Testbed.Check(await contenders[c].Run(), contenders[c].Name);
                }

                wall[c] += Stopwatch.GetElapsedTime(started);
                allocated[c] += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                process.Refresh();
                cpu[c] += process.TotalProcessorTime - cpuBefore;
            }
        }

        var runs = (double)runsPerBlock * rounds;
        var floorCpu = cpu[0].TotalMilliseconds / runs;
        var floorAllocated = allocated[0] / runs;
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"Process CPU time per run ({rounds} interleaved rounds of {runsPerBlock} sequential runs each, {Environment.ProcessorCount} cores)");
        table.AppendLine();
        table.AppendLine("| Method | Runs | CPU ms/run | CPU ratio | Allocated KiB/run | Alloc ratio | Wall ms/run |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        for (var c = 0; c < contenders.Length; c++)
        {
            var cpuPerRun = cpu[c].TotalMilliseconds / runs;
            var allocatedPerRun = allocated[c] / runs;
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {contenders[c].Name} | {runs} | {cpuPerRun:F2} | {cpuPerRun / floorCpu:F2} | {allocatedPerRun / 1024:F1} | {allocatedPerRun / floorAllocated:F2} | {wall[c].TotalMilliseconds / runs:F1} |");
        }

        return Report.Write(reportDirectory, "CpuTime-report-github.md", table.ToString());
    }
}
