using System.Text;

namespace SandboxRunner.IntegrationTests.Infrastructure;

/// <summary>
/// The base of every integration fixture: one runner per fixture on its <see cref="EngineEndpoint"/>,
/// with the python image as default and this run's label on every sandbox. After the fixture, the runner
/// is disposed and nothing it created may be left: no labelled container, no new unused volume.
/// </summary>
[Category("Integration")]
public abstract class SandboxFixture(EngineEndpoint endpoint)
{
    /// <summary>The ceiling of kept output, above the 1 MiB default so that a 4 MiB echo fits.</summary>
    protected const int OutputCeilingBytes = 8 * 1024 * 1024;

    private readonly List<ISandboxRunner> _extraRunners = [];
    private IReadOnlySet<string> _volumesBefore = new HashSet<string>();
    private ISandboxRunner? _runner;

    protected EngineEndpoint Endpoint { get; } = endpoint;

    /// <summary>Gets the fixture's runner.</summary>
    protected ISandboxRunner Runner => _runner ?? throw new InvalidOperationException("The runner is created in OneTimeSetUp.");

    [OneTimeSetUp]
    public async Task CreateRunnerAsync()
    {
        _volumesBefore = await DockerCli.ListDanglingVolumesAsync();
        _runner = CreateRunner();
    }

    [OneTimeTearDown]
    public async Task DisposeRunnerAndCheckNothingIsLeftAsync()
    {
        if (_runner is not null)
        {
            await _runner.DisposeAsync();
        }

        foreach (var runner in _extraRunners)
        {
            await runner.DisposeAsync();
        }

        var containers = await DockerCli.ListTestContainersAsync();
        var volumes = (await DockerCli.ListDanglingVolumesAsync()).Except(_volumesBefore).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(containers, Is.Empty, $"containers labelled {TestRun.LabelFilter} are left after {GetType().Name}({Endpoint})");
            Assert.That(volumes, Is.Empty, $"unused volumes appeared during {GetType().Name}({Endpoint})");
        });
    }

    /// <summary>The options every runner of the tests starts from: this endpoint, the python image, the run label.</summary>
    protected SandboxRunnerOptions CreateOptions()
    {
        var options = new SandboxRunnerOptions
        {
            Endpoint = Endpoint.Uri,
            DefaultImage = TestRun.PythonImage,
        };
        options.Labels[TestRun.LabelKey] = TestRun.Id;
        options.Limits.MaxOutputBytes = OutputCeilingBytes;
        return options;
    }

    /// <summary>Creates a runner owned by the fixture (disposed with it), optionally with other options.</summary>
    protected ISandboxRunner CreateRunner(Action<SandboxRunnerOptions>? configure = null)
    {
        var options = CreateOptions();
        configure?.Invoke(options);
        var runner = SandboxRunnerFactory.CreateDocker(options);
        if (_runner is not null)
        {
            _extraRunners.Add(runner);
        }

        return runner;
    }

    /// <summary>A request running <paramref name="code"/> with <c>python3 -c</c> in the default image.</summary>
    protected static SandboxRequest Python(string code) => new() { Command = ["python3", "-c", code] };

    /// <summary>A request running <paramref name="script"/> with busybox <c>sh -c</c>.</summary>
    protected static SandboxRequest Shell(string script) =>
        new() { Image = TestRun.BusyboxImage, Command = ["sh", "-c", script] };

    protected static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A description of a result for assertion messages.</summary>
    protected static string Describe(SandboxResult result)
    {
        static string Cut(string text) => text.Length <= 2000 ? text : text[..2000] + "…";
        return $"status {result.Status}, exit {result.ExitCode}, termination {result.Termination}, "
            + $"stdout '{Cut(result.StandardOutputText)}', stderr '{Cut(result.StandardErrorText)}'";
    }

    /// <summary>How many containers carry this run's label now.</summary>
    protected static async Task<int> CountTestContainersAsync(CancellationToken cancellationToken = default) =>
        (await DockerCli.ListTestContainersAsync(cancellationToken)).Count;
}
