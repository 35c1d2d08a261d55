using System.Diagnostics;

namespace SandboxRunner.Tests.Fakes;

/// <summary>Awaits a call that must fail, without blocking a thread the way the synchronous NUnit helpers do.</summary>
internal static class Expect
{
    /// <summary>Asserts that <paramref name="action"/> throws <typeparamref name="T"/> (or a type derived from it) and returns it.</summary>
    public static async Task<T> ThrowsAsync<T>(Func<Task> action)
        where T : Exception
    {
        Exception? thrown = null;
        try
        {
            await action();
        }
        catch (Exception e) when (e is not AssertionException)
        {
            thrown = e;
        }

        Assert.That(thrown, Is.InstanceOf<T>(), $"expected {typeof(T).Name}");
        return thrown as T ?? throw new UnreachableException();
    }
}
