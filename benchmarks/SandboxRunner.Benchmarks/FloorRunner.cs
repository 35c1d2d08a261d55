using System.Buffers;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace SandboxRunner.Benchmarks;

/// <summary>
/// "The floor": the least a .NET program must do to run the hardened container with Docker.DotNet.Enhanced —
/// create, attach, start, read output to the end, wait, remove — with no options, validation or resilience.
/// </summary>
internal sealed class FloorRunner : IDisposable
{
    private readonly DockerClient _client;

    public FloorRunner(string endpoint)
    {
        _client = new DockerClientBuilder()
            .WithEndpoint(new Uri(endpoint))
            .WithApiVersion(new System.Version(1, 41))
            .Build();
    }

    public async Task<(long ExitCode, string StandardOutput)> RunAsync(CancellationToken cancellationToken = default)
    {
        var runId = Guid.NewGuid().ToString("N");
        var created = await _client.Containers.CreateContainerAsync(HardenedProfile.CreateParameters("floor-" + runId, runId), cancellationToken);
        try
        {
            using var stream = await _client.Containers.AttachContainerAsync(
                created.ID, new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, cancellationToken);
            await _client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);

            var stdout = new MemoryStream();
            var stderr = new MemoryStream();
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                while (true)
                {
                    var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
                    if (read.EOF)
                    {
                        break;
                    }

                    (read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout).Write(buffer, 0, read.Count);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            var exit = await _client.Containers.WaitContainerAsync(created.ID, cancellationToken);
            return (exit.StatusCode, Encoding.UTF8.GetString(stdout.GetBuffer(), 0, (int)stdout.Length));
        }
        finally
        {
            await _client.Containers.RemoveContainerAsync(
                created.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, CancellationToken.None);
        }
    }

    public void Dispose() => _client.Dispose();
}
