using System.Buffers;
using System.Runtime.InteropServices;
using global::Docker.DotNet;
using SandboxRunner.Execution;

namespace SandboxRunner.Docker;

/// <summary>
/// Moves bytes between an attach stream and a run: writes standard input then half-closes it, and reads
/// both output streams to their end. The reader never stops early: past a stream's cap it keeps reading
/// and discarding, because a reader that stops blocks the program, and then its stop and removal.
/// </summary>
internal static class OutputPump
{
    private const int ReadBufferSize = 64 * 1024;

    /// <summary>Reads until the engine closes the stream (the program ended) or the token fires.</summary>
    public static async Task ReadAsync(MultiplexedStream stream, OutputCapture capture, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                if (read.EOF)
                {
                    return;
                }

                var target = read.Target == MultiplexedStream.TargetStream.StandardError ? capture.StandardError : capture.StandardOutput;
                target.Write(buffer.AsSpan(0, read.Count));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes all of <paramref name="input"/> and half-closes the stream, so the program reads end-of-file.</summary>
    public static async Task WriteAsync(MultiplexedStream stream, ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        if (!input.IsEmpty)
        {
            if (MemoryMarshal.TryGetArray(input, out var segment))
            {
                await stream.WriteAsync(segment.Array!, segment.Offset, segment.Count, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var copy = input.ToArray();
                await stream.WriteAsync(copy, 0, copy.Length, cancellationToken).ConfigureAwait(false);
            }
        }

        stream.CloseWrite();
    }
}
