using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SandboxRunner.Benchmarks;

/// <summary>
/// <c>--count-calls</c>: Engine API calls per run, counted from the access log of a docker socket proxy that only
/// this mode uses (the test bed's <c>proxy.sh</c>, same permissions as the default proxy plus INFO for
/// Testcontainers), so other clients of the engine do not pollute the count. haproxy's log reaches the file late
/// (keep-alive connections), so the proxy is stopped before the log is read, and the lines are attributed to
/// each contender's first run and steady runs by marker requests (<c>/_ping?bench-marker-N</c>) between the phases,
/// after sorting by the time each request arrived.
/// </summary>
internal static partial class CallCountMode
{
    private const string Bind = "127.0.0.1:23799";
    private const string Endpoint = "tcp://" + Bind;

    public static async Task<int> RunAsync(int runs, string reportDirectory, bool includeTestcontainers = true)
    {
        var pidFile = Path.Combine(Path.GetTempPath(), "sandboxrunner-bench-proxy.pid");
        var log = Path.ChangeExtension(pidFile, ".log");

        // Testcontainers reads its endpoint once per process, from the environment: it is counted only when this
        // mode is the first to use it (not in --short, where the benchmarks ran it against the engine directly).
        Testbed.ConfigureTestcontainers();
        Environment.SetEnvironmentVariable("DOCKER_HOST", Endpoint);
        var contenders = new (string Name, Func<Func<Func<Task<string>>, Task>, Task> Use)[]
        {
            ("Floor (hand-written Docker.DotNet)", async measure =>
            {
                using var floor = new FloorRunner(Endpoint);
                await measure(async () => (await floor.RunAsync()).StandardOutput);
            }),
            ("SandboxRunner RunAsync (cold)", async measure =>
            {
                await using var runner = LibraryRunner.Create(Endpoint);
                await measure(() => LibraryRunner.RunAsync(runner));
            }),
            ("docker run --rm (CLI 20.10)", measure => measure(() => CliRunner.RunAsync(Endpoint))),
            ("Testcontainers 4.17 (json-file logs)", measure => measure(() => TestcontainersRunner.RunAsync())),
        };

        // A fresh log: an instance may write from the start of an existing file rather than append to it.
        File.Delete(log);
        using var markers = new HttpClient { BaseAddress = new Uri("http://" + Bind) };
        var marker = 0;
        async Task<string> MarkAsync()
        {
            var name = "bench-marker-" + (++marker).ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/_ping?" + name, UriKind.Relative));
            request.Headers.ConnectionClose = true;
            (await markers.SendAsync(request)).Dispose();
            return name;
        }

        var windows = new List<(string Name, string First, string Steady, string End)>();
        await ProxyAsync("start", pidFile, log);
        try
        {
            foreach (var (name, use) in includeTestcontainers ? contenders : contenders[..^1])
            {
                await use(async run =>
                {
                    var first = await MarkAsync();
                    Testbed.Check(await run(), name);
                    await Task.Delay(100);
                    var steady = await MarkAsync();
                    for (var i = 0; i < runs; i++)
                    {
                        Testbed.Check(await run(), name);
                    }

                    await Task.Delay(100);
                    windows.Add((name, first, steady, await MarkAsync()));
                });
            }
        }
        finally
        {
            // haproxy logs a request of a kept-alive connection late (when the connection closes): every client
            // is disposed by now, and the markers close their connections.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            await ProxyAsync("stop", pidFile, log);
        }

        // Lines can reach the log out of order: sort by the time each request arrived, then cut at the markers.
        var calls = (await ReadAsync(log)).OrderBy(c => c.At).ToList();
        int Position(string name) => calls.FindIndex(c => c.Call.EndsWith(name, StringComparison.Ordinal));
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"Engine API calls per run, counted in a socket proxy's access log; \"first run\" is the first use in the process, then {runs} runs");
        table.AppendLine();
        table.AppendLine("| Method | First run | Calls per run | Denied (403) per run | Calls of one run (steady state, in order of completion) |");
        table.AppendLine("|---|---:|---:|---:|---|");
        foreach (var (name, firstFrom, steadyFrom, end) in windows)
        {
            var first = Position(steadyFrom) - Position(firstFrom) - 1;
            var steady = calls.GetRange(Position(steadyFrom) + 1, Position(end) - Position(steadyFrom) - 1);
            var perRun = steady.Count / (double)runs;
            var denied = steady.Count(c => c.Status == 403) / (double)runs;
            var shape = string.Join(", ", steady.Take(steady.Count / runs).Select(c => c.Call));
            table.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {first} | {perRun:0.##} | {denied:0.##} | `{shape}` |");
        }

        return Report.Write(reportDirectory, "CallCount-report-github.md", table.ToString());
    }

    private static async Task<List<(DateTime At, string Call, int Status)>> ReadAsync(string log)
    {
        await using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var calls = new List<(DateTime, string, int)>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var match = LogLine().Match(line);
            if (match.Success)
            {
                var at = DateTime.ParseExact(match.Groups["at"].Value, "dd/MMM/yyyy:HH:mm:ss.fff", CultureInfo.InvariantCulture);
                var path = Id().Replace(ApiVersion().Replace(match.Groups["path"].Value, string.Empty), "{id}");
                var query = path.Contains("bench-marker-", StringComparison.Ordinal) ? -1 : path.IndexOf('?', StringComparison.Ordinal);
                calls.Add((at, $"{match.Groups["method"].Value} {(query < 0 ? path : path[..query])}", int.Parse(match.Groups["status"].Value, CultureInfo.InvariantCulture)));
            }
        }

        return calls;
    }

    private static async Task ProxyAsync(string action, string pidFile, string log)
    {
        var script = FindProxyScript();
        var start = new ProcessStartInfo(script) { UseShellExecute = false };
        start.ArgumentList.Add(action);
        start.ArgumentList.Add(pidFile);
        start.Environment["PROXY_BIND"] = Bind;
        start.Environment["PROXY_LOG"] = log;
        start.Environment["CONTAINERS"] = "1";
        start.Environment["IMAGES"] = "1";
        start.Environment["POST"] = "1";
        start.Environment["INFO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("proxy.sh did not start");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"proxy.sh {action} failed with {process.ExitCode}");
        }
    }

    private static string FindProxyScript()
    {
        foreach (var origin in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(origin); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "tests", "testbed", "proxy.sh");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException("tests/testbed/proxy.sh not found above the working directory; run from inside the repository.");
    }

    // 127.0.0.1:35410 [04/Dec/2026:21:59:04.293] docker_api docker_engine/engine 0/0/0/0/0 200 4927 ... "GET /v1.41/containers/x/json HTTP/1.1"
    [GeneratedRegex("""\[(?<at>[^\]]+)\] \S+ \S+ \S+ (?<status>\d{3}) .*"(?<method>[A-Z]+) (?<path>\S+) HTTP/[0-9.]+"$""")]
    private static partial Regex LogLine();

    [GeneratedRegex("^/v[0-9]+\\.[0-9]+")]
    private static partial Regex ApiVersion();

    [GeneratedRegex("[0-9a-f]{64}|(?<=/containers/)(?!create\\b|json\\b)[A-Za-z0-9_.-]+(?=/|$|\\?)|(?<=/images/)\\S+(?=/json)")]
    private static partial Regex Id();
}
