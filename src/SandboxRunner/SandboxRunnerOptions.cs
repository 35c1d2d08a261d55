namespace SandboxRunner;

/// <summary>
/// Configures a sandbox runner. A runner configured with nothing gets the hardened profile: no network,
/// read-only root, non-root user, no capabilities, and the limits of <see cref="SandboxLimitOptions"/>.
/// No option turns that isolation off.
/// </summary>
public sealed class SandboxRunnerOptions
{
    /// <summary>The name of the configuration section the runner binds by convention.</summary>
    public const string SectionName = "SandboxRunner";

    /// <summary>
    /// Gets or sets the engine endpoint: <c>unix:///path/to/docker.sock</c>, <c>tcp://host:port</c> or
    /// <c>http://host:port</c> (for example a socket proxy).
    /// </summary>
    /// <value>The default, <see langword="null"/>, uses <c>DOCKER_HOST</c>, else <c>unix:///var/run/docker.sock</c>.</value>
    public string? Endpoint { get; set; }

    /// <summary>Gets or sets the image used by requests that name none.</summary>
    /// <value>The default is <see langword="null"/>: every request must name its image.</value>
    public string? DefaultImage { get; set; }

    /// <summary>Gets or sets when images are pulled.</summary>
    /// <value>The default is <see cref="ImagePullPolicy.IfMissing"/>.</value>
    public ImagePullPolicy PullPolicy { get; set; } = ImagePullPolicy.IfMissing;

    /// <summary>
    /// Gets the credentials to pull with, keyed by registry host as written in image references
    /// (for example <c>registry.example:5000</c>; <c>docker.io</c> for images without a registry).
    /// </summary>
    public IDictionary<string, RegistryCredential> RegistryCredentials { get; } =
        new Dictionary<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the deadline of requests that set none.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the longest deadline a request may ask for.</summary>
    /// <value>The default is 10 minutes.</value>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets how long a program may take to exit after it is asked to stop at its deadline, before
    /// it is killed. <see cref="TimeSpan.Zero"/> kills at once.
    /// </summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long the runner keeps trying to remove a sandbox before leaving it to the sweeper.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan CleanupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long the runner waits for the engine to answer its first request, and to answer each
    /// attach to a sandbox's streams (the stream itself then has no limit but the run's deadline).
    /// </summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets the numeric user and group the program runs as, <c>uid:gid</c>. Neither may be 0.
    /// </summary>
    /// <value>The default is <c>65534:65534</c> (nobody).</value>
    public string User { get; set; } = "65534:65534";

    /// <summary>
    /// Gets or sets how many runs one runner executes at once; more wait in a queue. One engine saturates at
    /// about two concurrent starts per core, so more concurrency only adds latency.
    /// </summary>
    /// <value>The default is 8.</value>
    public int MaxConcurrentRuns { get; set; } = 8;

    /// <summary>Gets or sets how many runs may wait for a slot; a run beyond it is refused at once.</summary>
    /// <value>The default is 256.</value>
    public int MaxQueuedRuns { get; set; } = 256;

    /// <summary>Gets or sets how long a run may wait for a slot before it is refused.</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Gets the profiles of sandboxes kept started ahead of demand, to answer matching requests with lower
    /// latency (see <see cref="WarmPoolOptions"/>). Empty by default: every run is cold.
    /// </summary>
    public IList<WarmPoolOptions> WarmPools { get; } = new List<WarmPoolOptions>();

    /// <summary>Gets or sets the ceilings of every run's resources.</summary>
    public SandboxLimitOptions Limits { get; set; } = new();

    /// <summary>
    /// Gets extra labels put on every sandbox, for example to tell apart the sandboxes of one service.
    /// Keys starting with <c>sandboxrunner.</c> are reserved.
    /// </summary>
    public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
