using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SandboxRunner.Benchmarks;

/// <summary>
/// <c>--throughput</c>: batches of N concurrent cold runs, the floor's and SandboxRunner's alternating batch by
/// batch. BenchmarkDotNet measures one contender after the other, so a drift of the engine during the run (at
/// saturation its deferred work spills from one batch into the next) falls on one side; alternating spreads it
/// over both. Reported: runs per second of each and their ratio, per concurrency level.
/// </summary>
internal static class InterleavedThroughputMode
{
    private static readonly int[] Levels = [1, 2, 4, 8, 16];

    public static async Task<int> RunAsync(int rounds, string reportDirectory)
    {
        await using var pair = await ColdContenders.CreateAsync(maxConcurrentRuns: 16);
        var contenders = new (string Name, Func<Task<string>> Run)[]
        {
            ("floor", pair.FloorAsync),
            ("SandboxRunner", pair.LibraryAsync),
        };

        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"Throughput, floor and SandboxRunner batches alternating ({rounds} batches each per level, after one warm-up batch each; {Environment.ProcessorCount} cores)");
        table.AppendLine();
        table.AppendLine("| Concurrency | Floor runs/s | SandboxRunner runs/s | Throughput ratio (SandboxRunner / floor) |");
        table.AppendLine("|---:|---:|---:|---:|");
        foreach (var level in Levels)
        {
            var elapsed = new TimeSpan[contenders.Length];
            for (var round = -1; round < rounds; round++)
            {
                for (var c = 0; c < contenders.Length; c++)
                {
                    // Which contender goes first alternates too.
                    var index = (c + Math.Max(round, 0)) % contenders.Length;
                    var started = Stopwatch.GetTimestamp();
                    await Task.WhenAll(Enumerable.Range(0, level).Select(_ => Task.Run(contenders[index].Run)));
                    if (round >= 0)
                    {
                        elapsed[index] += Stopwatch.GetElapsedTime(started);
                    }
                }
            }

            var floorRate = level * rounds / elapsed[0].TotalSeconds;
            var libraryRate = level * rounds / elapsed[1].TotalSeconds;
            table.AppendLine(CultureInfo.InvariantCulture, $"| {level} | {floorRate:F2} | {libraryRate:F2} | {libraryRate / floorRate:F3} |");
        }

        return Report.Write(reportDirectory, "InterleavedThroughput-report-github.md", table.ToString());
    }
}
