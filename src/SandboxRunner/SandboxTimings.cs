namespace SandboxRunner;

/// <summary>
/// How long each phase of a run took. A phase that did not happen is <see cref="TimeSpan.Zero"/>.
/// </summary>
public sealed record SandboxTimings
{
    /// <summary>Gets the time spent making sure the image is present (inspect, and pull when needed).</summary>
    public TimeSpan Image { get; init; }

    /// <summary>Gets the time spent creating the sandbox and placing its files.</summary>
    public TimeSpan Create { get; init; }

    /// <summary>Gets the time spent attaching to the sandbox and starting the program.</summary>
    public TimeSpan Start { get; init; }

    /// <summary>Gets the time from the program's start to its end, including any stop or kill.</summary>
    public TimeSpan Run { get; init; }

    /// <summary>Gets the time spent removing the sandbox.</summary>
    public TimeSpan Cleanup { get; init; }

    /// <summary>Gets the time of the whole call.</summary>
    public TimeSpan Total { get; init; }
}
