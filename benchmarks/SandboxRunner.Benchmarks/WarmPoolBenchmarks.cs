using System.Text;
using BenchmarkDotNet.Attributes;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace SandboxRunner.Benchmarks;

/// <summary>
/// A trivial Python program delivered on stdin (<c>python3 -</c>) in the real Python 3.11 image: a cold run
/// against a run that takes a sandbox of a warm pool, side by side, directly against the engine and through the
/// test bed's socket proxy (<c>CONTAINERS IMAGES POST</c>), and the warm floor (<see cref="WarmFloor"/>: the
/// same hand-off written by hand). "At low load": before every iteration the pool is back to its full size, so
/// each warm run finds a started sandbox (the refill is not measured, nor the floor's preparation).
/// </summary>
[BenchmarkCategory("WarmPool")]
public class WarmPoolBenchmarks
{
    private const string Program = "print(6 * 7)";
    private const string Expected = "42\n";
    private const int PoolSize = 1;

    private static readonly SandboxRequest Request = new()
    {
        Image = Testbed.PythonImage,
        Command = ["python3", "-"],
        StandardInput = Encoding.UTF8.GetBytes(Program),
    };

    private static readonly byte[] Input = Encoding.UTF8.GetBytes(Program);

    private ISandboxRunner _cold = null!;
    private WarmFloor _warmFloor = null!;
    private ISandboxRunner _warm = null!;
    private DockerClient _engine = null!;
    private string _poolLabel = string.Empty;

    /// <summary>Gets or sets how the runners reach the engine.</summary>
    [Params("engine", "proxy")]
    public string Via { get; set; } = "engine";

    [GlobalSetup]
    public void Setup()
    {
        var endpoint = Via == "proxy" ? Testbed.ProxyEndpoint : Testbed.Endpoint;
        _poolLabel = "warm-" + Guid.NewGuid().ToString("N");
        _engine = new DockerClientBuilder().WithEndpoint(new Uri(Testbed.Endpoint)).WithApiVersion(new System.Version(1, 41)).Build();
        _cold = Create(endpoint, "cold", pool: null);
        _warmFloor = new WarmFloor(endpoint);
        var profile = new WarmPoolOptions { Image = Testbed.PythonImage, Size = PoolSize, IdleLifetime = TimeSpan.FromMinutes(30) };
        profile.Command.Add("python3");
        profile.Command.Add("-");
        _warm = Create(endpoint, _poolLabel, profile);

        // First use of each path (connection, API version, image, JIT) stays out of the measurements.
        Check(_cold.RunAsync(Request).GetAwaiter().GetResult(), "cold");
        WaitForPool();
        Check(_warm.RunAsync(Request).GetAwaiter().GetResult(), "warm");
        PrepareFloor();
        WarmFloor().GetAwaiter().GetResult();
        RemoveFloor();
    }

    [IterationSetup(Target = nameof(WarmFloor))]
    public void PrepareFloor()
    {
        _warmFloor.PrepareAsync().GetAwaiter().GetResult();

        // The pool's sandboxes wait long enough for python to be reading stdin: so must the floor's.
        Thread.Sleep(300);
    }

    [IterationCleanup(Target = nameof(WarmFloor))]
    public void RemoveFloor() => _warmFloor.RemoveAsync().GetAwaiter().GetResult();

    [IterationSetup(Target = nameof(Warm))]
    public void WaitForPool()
    {
        var filters = new Dictionary<string, IDictionary<string, bool>>(StringComparer.Ordinal)
        {
            ["label"] = new Dictionary<string, bool>(StringComparer.Ordinal) { [$"{Testbed.BenchmarkLabel}={_poolLabel}"] = true },
            ["status"] = new Dictionary<string, bool>(StringComparer.Ordinal) { ["running"] = true },
        };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (_engine.Containers.ListContainersAsync(new ContainersListParameters { Filters = filters }).GetAwaiter().GetResult().Count < PoolSize)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The warm pool did not refill within 60 s.");
            }

            Thread.Sleep(20);
        }

        // Running is not yet ready: the pool holds a sandbox a moment later, and python needs a moment to start
        // reading stdin; a pool's sandboxes normally wait far longer than this.
        Thread.Sleep(300);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cold.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _warm.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _engine.Dispose();
        _warmFloor.Dispose();
    }

    [Benchmark(Baseline = true, Description = "SandboxRunner RunAsync (cold), python3 -")]
    public async Task<string> Cold() => Check(await _cold.RunAsync(Request), "cold");

    [Benchmark(Description = "SandboxRunner RunAsync (warm pool), python3 -")]
    public async Task<string> Warm()
    {
        var result = await _warm.RunAsync(Request);
        if (result.Timings.Create != TimeSpan.Zero)
        {
            throw new InvalidOperationException("warm: the run did not take a pooled sandbox (it created one).");
        }

        return Check(result, "warm");
    }

    [Benchmark(Description = "Warm floor (hand-written hand-off), python3 -")]
    public async Task<string> WarmFloor()
    {
        var (exitCode, output) = await _warmFloor.RunAsync(Input);
        if (exitCode != 0 || output != Expected)
        {
            throw new InvalidOperationException($"warm floor: exit {exitCode}, output '{output}'.");
        }

        return output;
    }

    private static ISandboxRunner Create(string endpoint, string label, WarmPoolOptions? pool)
    {
        var options = new SandboxRunnerOptions { Endpoint = endpoint, DefaultImage = Testbed.PythonImage };
        options.Labels[Testbed.BenchmarkLabel] = label;
        if (pool is not null)
        {
            options.WarmPools.Add(pool);
        }

        return SandboxRunnerFactory.CreateDocker(options);
    }

    private static string Check(SandboxResult result, string who)
    {
        if (result.Status != SandboxStatus.Completed || result.StandardOutputText != Expected)
        {
            throw new InvalidOperationException($"{who}: {result.Status}, exit {result.ExitCode}, output '{result.StandardOutputText}', errors '{result.StandardErrorText}'.");
        }

        return result.StandardOutputText;
    }
}
