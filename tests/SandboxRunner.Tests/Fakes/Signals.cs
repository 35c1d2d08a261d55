using Microsoft.Extensions.Time.Testing;

namespace SandboxRunner.Tests.Fakes;

/// <summary>Helpers to hang a fake call and to drive a <see cref="FakeTimeProvider"/> while a task runs.</summary>
internal static class Signals
{
    /// <summary>A signal that never runs its awaiters inline (so a fake never runs test code on its own stack).</summary>
    public static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Never completes on its own: ends only when <paramref name="token"/> is cancelled.</summary>
    public static async Task<T> HangAsync<T>(CancellationToken token)
    {
        await new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously).Task.WaitAsync(token);
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>
    /// Advances <paramref name="time"/> by <paramref name="step"/> until <paramref name="task"/> ends, yielding
    /// between steps so that continuations can run. Bounded by <paramref name="cancellationToken"/>.
    /// </summary>
    public static async Task<T> DriveAsync<T>(FakeTimeProvider time, Task<T> task, TimeSpan step, CancellationToken cancellationToken)
    {
        while (!task.IsCompleted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            time.Advance(step);
            await Task.Yield();
        }

        return await task;
    }
}
