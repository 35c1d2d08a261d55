using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace SandboxRunner.Benchmarks;

/// <summary>
/// What a .NET developer would otherwise write with Testcontainers: the same image, command and limits (set
/// through the create-parameter modifier), reaper disabled. Testcontainers reads output through <c>/logs</c>,
/// which the "none" log driver refuses, so this one container uses the json-file driver. Its console logger is
/// silenced, as a service would.
/// </summary>
internal static class TestcontainersRunner
{
    public static async Task<string> RunAsync(CancellationToken cancellationToken = default)
    {
        var container = new ContainerBuilder(Testbed.Image)
            .WithImagePullPolicy(PullPolicy.Missing)
            .WithEntrypoint(Testbed.Command[0])
            .WithCommand(Testbed.Command[1..])
            .WithName("tc-" + Guid.NewGuid().ToString("N"))
            .WithLabel(Testbed.BenchmarkLabel, "testcontainers")
            .WithWorkingDirectory(HardenedProfile.Workspace)
            .WithLogger(NullLogger.Instance)
            .WithCreateParameterModifier(Harden)
            .Build();
        await using (container.ConfigureAwait(false))
        {
            await container.StartAsync(cancellationToken);
            var exit = await container.GetExitCodeAsync(cancellationToken);
            var (stdout, _) = await container.GetLogsAsync(timestampsEnabled: false, ct: cancellationToken);
            if (exit != 0)
            {
                throw new InvalidOperationException($"Testcontainers run exited with {exit}");
            }

            return stdout;
        }
    }

    private static void Harden(CreateContainerParameters parameters)
    {
        parameters.User = HardenedProfile.User;
        parameters.Hostname = "sandbox";
        parameters.NetworkDisabled = true;
        parameters.StopSignal = "SIGTERM";
        parameters.HostConfig = HardenedProfile.HostConfig(logDriver: "json-file");
    }
}
