using Docker.DotNet;
using Docker.DotNet.Models;

namespace SandboxRunner.Benchmarks;

/// <summary>Where the benchmarks find the engine and the image; overridable through the environment.</summary>
internal static class Testbed
{
    public static readonly string Endpoint = Setting("BENCH_DOCKER_ENDPOINT", "unix:///var/run/docker.sock");

    public static readonly string Image = Setting("BENCH_IMAGE", "127.0.0.1:5000/sandboxrunner/busybox:1");

    /// <summary>The test bed's socket proxy: CONTAINERS, IMAGES, POST (and PING).</summary>
    public static readonly string ProxyEndpoint = Setting("BENCH_PROXY_ENDPOINT", "tcp://127.0.0.1:2375");

    /// <summary>The real Python 3.11 image of the test bed, for the warm pool's <c>python3 -</c> profile.</summary>
    public static readonly string PythonImage = Setting("BENCH_PYTHON_IMAGE", "127.0.0.1:5000/sandboxrunner/python:3.11");

    /// <summary>The packaged 20.10 CLI (another one lives in /usr/local/bin).</summary>
    public static readonly string DockerCli = Setting("BENCH_DOCKER_CLI", "/usr/bin/docker");

    public static readonly string[] Command = ["echo", "hello"];

    public const string ExpectedOutput = "hello\n";

    /// <summary>A label on every container the benchmarks create, so leftovers are easy to find.</summary>
    public const string BenchmarkLabel = "benchmark.sandboxrunner";

    /// <summary>
    /// Pulls the images the benchmarks use unless the engine has them: the floor, the CLI and Testcontainers do not
    /// pull, and the test bed keeps the busybox image in its registry only.
    /// </summary>
    public static async Task EnsureImagesAsync()
    {
        using var engine = new DockerClientBuilder().WithEndpoint(new Uri(Endpoint)).WithApiVersion(new System.Version(1, 41)).Build();
        foreach (var image in new[] { Image, PythonImage })
        {
            try
            {
                await engine.Images.InspectImageAsync(image);
            }
            catch (DockerImageNotFoundException)
            {
                var separator = image.LastIndexOf(':');
                await engine.Images.CreateImageAsync(
                    new ImagesCreateParameters { FromImage = image[..separator], Tag = image[(separator + 1)..] },
                    authConfig: null,
                    new Progress<JSONMessage>());
            }
        }
    }

    private static string Setting(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    /// <summary>Testcontainers asks for API 1.44, which this engine refuses; its reaper image cannot be pulled here.</summary>
    public static void ConfigureTestcontainers()
    {
        Environment.SetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED", "true");
        Environment.SetEnvironmentVariable("DOCKER_API_VERSION", "1.41");
    }

    /// <summary>Returns <paramref name="output"/> when it is the expected one; throws naming <paramref name="who"/> otherwise.</summary>
    public static string Check(string output, string who) =>
        string.Equals(output, ExpectedOutput, StringComparison.Ordinal)
            ? output
            : throw new InvalidOperationException($"{who}: unexpected output '{output}'.");
}
