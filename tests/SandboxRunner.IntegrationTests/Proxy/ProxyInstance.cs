using System.Diagnostics;
using System.Globalization;

namespace SandboxRunner.IntegrationTests.Proxy;

/// <summary>
/// One extra socket-proxy instance of the test bed (<c>tests/testbed/proxy.sh</c>), on a port of its own and
/// with the permission variables given. Dispose it to stop it; stopping is by its pidfile only.
/// </summary>
public sealed class ProxyInstance : IAsyncDisposable
{
    /// <summary>Every variable proxy.sh passes on; those not given are removed from the inherited environment.</summary>
    private static readonly string[] ProxyVariables =
    [
        "PROXY_BIND", "DOCKER_SOCKET_PATH", "PROXY_SERVER_TIMEOUT", "PROXY_CLIENT_TIMEOUT", "PROXY_TUNNEL_TIMEOUT", "PROXY_LOG",
        "PING", "VERSION", "EVENTS", "POST", "AUTH", "BUILD", "COMMIT", "CONFIGS", "CONTAINERS", "DISTRIBUTION", "EXEC", "IMAGES",
        "INFO", "NETWORKS", "NODES", "PLUGINS", "SECRETS", "SERVICES", "SESSION", "SWARM", "SYSTEM", "TASKS", "VOLUMES",
    ];

    private ProxyInstance(int port, string pidFile)
    {
        Port = port;
        PidFile = pidFile;
    }

    public int Port { get; }

    public string PidFile { get; }

    /// <summary>
    /// Gets haproxy's access log of this instance. A request on a kept-alive or upgraded connection reaches it
    /// late: read it through <see cref="ReadAccessLogAsync"/> after the instance is stopped.
    /// </summary>
    public string LogFile => Path.ChangeExtension(PidFile, ".log");

    /// <summary>Gets the endpoint to give to <see cref="SandboxRunnerOptions.Endpoint"/>.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"tcp://127.0.0.1:{Port}");

    /// <summary>The minimal set a runner needs, with <paramref name="off"/> (if any) switched to 0.</summary>
    public static Dictionary<string, string> MinimalSet(string? off = null)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["CONTAINERS"] = "1", ["IMAGES"] = "1", ["POST"] = "1", ["PING"] = "1" };
        if (off is not null)
        {
            variables[off] = "0";
        }

        return variables;
    }

    /// <summary>Starts an instance on 127.0.0.1:<paramref name="port"/> with exactly <paramref name="variables"/> set.</summary>
    public static async Task<ProxyInstance> StartAsync(int port, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken = default)
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"sandboxrunner-tests-{TestRunId()}-proxy-{port}.pid");
        var instance = new ProxyInstance(port, pidFile);

        // A fresh log per instance: proxy.sh appends to an existing one.
        File.Delete(instance.LogFile);
        var environment = new Dictionary<string, string>(variables, StringComparer.Ordinal)
        {
            ["PROXY_BIND"] = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}"),
        };
        var (exitCode, output) = await RunScriptAsync("start", pidFile, environment, cancellationToken);
        if (exitCode != 0)
        {
            await instance.DisposeAsync();
            throw new InvalidOperationException($"proxy.sh start on port {port} failed ({exitCode}): {output}");
        }

        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        var (exitCode, output) = await RunScriptAsync("stop", PidFile, new Dictionary<string, string>(StringComparer.Ordinal), CancellationToken.None);
        if (exitCode != 0)
        {
            await TestContext.Progress.WriteLineAsync($"proxy.sh stop {PidFile} failed ({exitCode}): {output}");
        }
    }

    /// <summary>
    /// The requests of clients in the access log, in the order they arrived, the API version cut from the path:
    /// all but the first, proxy.sh's own <c>GET /_ping</c> that found the instance listening.
    /// </summary>
    public async Task<IReadOnlyList<ProxyRequest>> ReadAccessLogAsync(CancellationToken cancellationToken = default)
    {
        var requests = new List<ProxyRequest>();
        foreach (var line in await File.ReadAllLinesAsync(LogFile, cancellationToken))
        {
            if (ProxyRequest.TryParse(line) is { } request)
            {
                requests.Add(request);
            }
        }

        requests.Sort((a, b) => a.At.CompareTo(b.At));
        if (requests.Count == 0 || requests[0].Call != "GET /_ping")
        {
            throw new InvalidOperationException($"{LogFile} does not start with proxy.sh's readiness check.");
        }

        return requests[1..];
    }

    private static string TestRunId() => Infrastructure.TestRun.Id[..12];

    private static async Task<(int ExitCode, string Output)> RunScriptAsync(
        string action, string pidFile, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryLayout.Root, "tests", "testbed", "proxy.sh"));
        start.ArgumentList.Add(action);
        start.ArgumentList.Add(pidFile);
        foreach (var variable in ProxyVariables)
        {
            start.Environment.Remove(variable);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }
}
