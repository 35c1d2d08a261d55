namespace SandboxRunner.Docker;

/// <summary>Runs one engine call and translates its faults, naming the operation and the sandbox.</summary>
internal static class EngineCall
{
    public static async Task<T> InvokeAsync<T>(string operation, string? sandboxId, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (DockerErrors.Translate(e, operation, sandboxId) is { } translated && translated != e)
        {
            throw translated;
        }
    }

    public static async Task InvokeAsync(string operation, string? sandboxId, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception e) when (DockerErrors.Translate(e, operation, sandboxId) is { } translated && translated != e)
        {
            throw translated;
        }
    }
}
