namespace SandboxRunner.IntegrationTests.Infrastructure;

/// <summary>Captures what an awaited call threw, so that tests assert on it with <c>Assert.That</c>.</summary>
public static class Thrown
{
    /// <summary>Runs <paramref name="action"/> and returns what it threw, or <see langword="null"/>.</summary>
    public static async Task<Exception?> ByAsync(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action();
            return null;
        }
#pragma warning disable CA1031 // The test asserts on whatever was thrown.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
    }
}
