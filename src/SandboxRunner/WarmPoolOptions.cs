namespace SandboxRunner;

/// <summary>
/// A profile of sandboxes created and started ahead of demand. A request whose image, command,
/// environment, working directory and effective limits equal the profile's takes a waiting sandbox
/// instead of creating one; any other request runs cold. Every sandbox still serves exactly one run and
/// is removed after it, so nothing is shared between runs.
/// </summary>
/// <remarks>
/// A warm sandbox's program is already running when the request arrives, blocked reading its standard
/// input: profiles suit programs that take their work on stdin, such as <c>python3 -</c>, which reads a
/// whole script from stdin and then runs it. Files of the request are placed in the workspace before the
/// input is written. The deadline counts from the delivery of the input. A used warm sandbox is removed
/// after its result is returned, off the caller's critical path: the result's
/// <see cref="SandboxResult.CleanupFailed"/> cannot report that removal, so a failure is logged (EventId
/// 501) and counted (<c>sandboxrunner.cleanup.failures</c>) instead, and disposal of the runner waits
/// for every such removal.
/// </remarks>
public sealed class WarmPoolOptions
{
    /// <summary>Gets or sets the image.</summary>
    public string Image { get; set; } = string.Empty;

    /// <summary>Gets the program and its arguments, for example <c>python3</c>, <c>-</c>.</summary>
    public IList<string> Command { get; } = new List<string>();

    /// <summary>Gets the environment variables of the program.</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the limits, tightening the ceilings; requests must ask for the same to match.</summary>
    public SandboxLimits? Limits { get; set; }

    /// <summary>Gets or sets how many sandboxes wait ready.</summary>
    /// <value>The default is 2.</value>
    public int Size { get; set; } = 2;

    /// <summary>Gets or sets how long a sandbox may wait unused before it is replaced by a fresh one.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan IdleLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets how long the replacement of a taken sandbox may wait for the run on it to end. Preparing a
    /// sandbox is engine work (create, attach, start) that slows a run going on at the same time, by about a
    /// quarter of a short run's latency on a two-core machine: the replacement starts when the run ends, or
    /// once this much time has passed since it was taken, whichever comes first. <see cref="TimeSpan.Zero"/>
    /// starts it at once.
    /// </summary>
    /// <value>The default is 500 milliseconds.</value>
    public TimeSpan RefillDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The request this profile stands for; used to validate it and to match requests.</summary>
    internal SandboxRequest ToRequest() => new()
    {
        Image = Image,
        Command = [.. Command],
        Environment = new Dictionary<string, string>(Environment, StringComparer.Ordinal),
        Limits = Limits,
    };
}
