namespace SandboxRunner;

/// <summary>
/// A run was refused because the runner is at capacity: every slot is busy and the queue is full, or
/// the run waited in the queue longer than <see cref="SandboxRunnerOptions.QueueTimeout"/>. Nothing was
/// created; the caller may retry later.
/// </summary>
public sealed class SandboxCapacityExceededException : SandboxException
{
    /// <summary>Initializes a new instance of the <see cref="SandboxCapacityExceededException"/> class.</summary>
    /// <param name="maxConcurrentRuns">The configured number of concurrent runs.</param>
    /// <param name="maxQueuedRuns">The configured length of the queue.</param>
    /// <param name="waited">How long the run waited; zero when the queue was full.</param>
    public SandboxCapacityExceededException(int maxConcurrentRuns, int maxQueuedRuns, TimeSpan waited)
        : base(
            waited == TimeSpan.Zero
                ? $"The runner is at capacity: {maxConcurrentRuns} runs in progress and {maxQueuedRuns} waiting."
                : $"The run waited {waited.TotalSeconds:0.#} s for one of {maxConcurrentRuns} slots and was refused.",
            SandboxOperations.Admit,
            null,
            null)
    {
        MaxConcurrentRuns = maxConcurrentRuns;
        MaxQueuedRuns = maxQueuedRuns;
        Waited = waited;
    }

    /// <summary>Gets the configured number of concurrent runs.</summary>
    public int MaxConcurrentRuns { get; }

    /// <summary>Gets the configured length of the queue.</summary>
    public int MaxQueuedRuns { get; }

    /// <summary>Gets how long the run waited before it was refused; zero when the queue was full.</summary>
    public TimeSpan Waited { get; }
}
