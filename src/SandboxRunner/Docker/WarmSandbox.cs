using global::Docker.DotNet;

namespace SandboxRunner.Docker;

/// <summary>
/// A started sandbox waiting for its one run: its program blocked on stdin, its attach stream open, and
/// a wait for its exit already issued (which also tells, while it idles, whether it died).
/// </summary>
internal sealed class WarmSandbox(string id, string runId, string imageId, MultiplexedStream stream, Task<int> exit, CancellationTokenSource waitCancellation, long createdTimestamp)
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id { get; } = id;

    public string RunId { get; } = runId;

    public string ImageId { get; } = imageId;

    public MultiplexedStream Stream { get; } = stream;

    /// <summary>Gets the pending wait for the program's exit.</summary>
    public Task<int> Exit { get; } = exit;

    public long CreatedTimestamp { get; } = createdTimestamp;

    /// <summary>Gets a task that completes when the sandbox is released: its run is over, or it was discarded.</summary>
    public Task Released => _released.Task;

    /// <summary>Gets whether the program ended before it was given any work.</summary>
    public bool Died => Exit.IsCompleted;

    /// <summary>Stops waiting for the exit and closes the stream; the sandbox itself is removed separately.</summary>
    public void Release()
    {
        waitCancellation.Cancel();
        waitCancellation.Dispose();
        Stream.Dispose();
        _ = Exit.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        _released.TrySetResult();
    }
}
