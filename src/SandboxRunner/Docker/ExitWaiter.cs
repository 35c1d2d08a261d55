using System.Text.Json;
using global::Docker.DotNet;

namespace SandboxRunner.Docker;

/// <summary>
/// Waits for a container's program to end. A wait that a proxy cuts short (the common socket proxy ends
/// any request after 10 minutes, with 200 headers and an empty or broken body) is not an exit: the engine
/// is asked whether the program still runs, and the wait is issued again.
/// </summary>
internal static class ExitWaiter
{
    public static async Task<int> WaitAsync(IDockerClient client, string sandboxId, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var response = await client.Containers.WaitContainerAsync(sandboxId, cancellationToken).ConfigureAwait(false);
                if (response is not null)
                {
                    return (int)response.StatusCode;
                }
            }
            catch (Exception e) when (IsCutShort(e) && !cancellationToken.IsCancellationRequested)
            {
                // Fall through to ask the engine directly.
            }
            catch (Exception e) when (DockerErrors.Translate(e, SandboxOperations.Wait, sandboxId) is { } translated && translated != e)
            {
                throw translated;
            }

            var inspect = await EngineCall.InvokeAsync(
                SandboxOperations.Inspect, sandboxId, () => client.Containers.InspectContainerAsync(sandboxId, cancellationToken)).ConfigureAwait(false);
            if (inspect.State is { Running: false, Restarting: false } state && state.Status is "exited" or "dead")
            {
                return (int)state.ExitCode;
            }
        }
    }

    private static bool IsCutShort(Exception exception) =>
        exception is JsonException or IOException or HttpRequestException or EndOfStreamException;
}
