using System.Buffers;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace SandboxRunner.Benchmarks;

/// <summary>
/// The floor of a warm run: the least a .NET program must do with Docker.DotNet.Enhanced to hand a program to a
/// container that is already created, attached, started and blocked on stdin (<c>python3 -</c>), with its wait
/// already issued — write the input, close stdin, read the output to the end, take the exit code. Preparing and
/// removing the container are outside the measured part, as they are for the warm pool.
/// </summary>
internal sealed class WarmFloor : IDisposable
{
    private readonly DockerClient _client;
    private string? _id;
    private MultiplexedStream? _stream;
    private Task<ContainerWaitResponse>? _exit;

    public WarmFloor(string endpoint)
    {
        _client = new DockerClientBuilder()
            .WithEndpoint(new Uri(endpoint))
            .WithApiVersion(new System.Version(1, 41))
            .Build();
    }

    public async Task PrepareAsync()
    {
        var runId = Guid.NewGuid().ToString("N");
        var parameters = HardenedProfile.CreateParameters("warm-floor-" + runId, runId);
        parameters.Image = Testbed.PythonImage;
        parameters.Cmd = ["python3", "-"];
        parameters.AttachStdin = true;
        parameters.OpenStdin = true;
        parameters.StdinOnce = true;
        _id = (await _client.Containers.CreateContainerAsync(parameters)).ID;
        _stream = await _client.Containers.AttachContainerAsync(
            _id, new ContainerAttachParameters { Stream = true, Stdin = true, Stdout = true, Stderr = true });
        await _client.Containers.StartContainerAsync(_id, new ContainerStartParameters());
        _exit = _client.Containers.WaitContainerAsync(_id);
    }

    public async Task<(long ExitCode, string StandardOutput)> RunAsync(byte[] input)
    {
        var stream = _stream ?? throw new InvalidOperationException("Prepare first.");
        await stream.WriteAsync(input, 0, input.Length, CancellationToken.None);
        stream.CloseWrite();
        var stdout = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, CancellationToken.None);
                if (read.EOF)
                {
                    break;
                }

                if (read.Target == MultiplexedStream.TargetStream.StandardOut)
                {
                    stdout.Write(buffer, 0, read.Count);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var exit = await _exit!;
        return (exit.StatusCode, Encoding.UTF8.GetString(stdout.GetBuffer(), 0, (int)stdout.Length));
    }

    public async Task RemoveAsync()
    {
        _stream?.Dispose();
        _stream = null;
        if (_id is { } id)
        {
            _id = null;
            await _client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
        }
    }

    public void Dispose()
    {
        RemoveAsync().GetAwaiter().GetResult();
        _client.Dispose();
    }
}
