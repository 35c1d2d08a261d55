using Docker.DotNet;
using SandboxRunner.Docker;

namespace SandboxRunner.Tests.Fakes;

/// <summary>Warm sandboxes with no engine behind them, for the pool's own logic.</summary>
internal static class FakeWarmSandbox
{
    /// <summary>A sandbox waiting for its run, or one whose program has already ended when <paramref name="exited"/>.</summary>
    public static WarmSandbox Create(TimeProvider time, bool exited = false) => new(
        Guid.NewGuid().ToString("N"),
        "run",
        "sha256:x",
        new MultiplexedStream(new MemoryStream(), multiplexed: true),
        exited ? Task.FromResult(0) : new TaskCompletionSource<int>().Task,
        new CancellationTokenSource(),
        time.GetTimestamp());
}
