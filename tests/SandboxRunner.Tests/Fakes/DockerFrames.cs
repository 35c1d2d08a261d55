using System.Buffers.Binary;
using global::Docker.DotNet;

namespace SandboxRunner.Tests.Fakes;

/// <summary>
/// Builds the attach stream of Docker's multiplexed protocol: each frame is an 8-byte header (byte 0
/// the stream, 1 stdout or 2 stderr; bytes 4 to 7 the big-endian length) followed by the payload.
/// </summary>
internal static class DockerFrames
{
    public const byte StandardOutput = 1;
    public const byte StandardError = 2;

    public static byte[] Encode(params (byte Stream, byte[] Payload)[] frames)
    {
        using var buffer = new MemoryStream();
        Span<byte> header = stackalloc byte[8];
        foreach (var (stream, payload) in frames)
        {
            header.Clear();
            header[0] = stream;
            BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)payload.Length);
            buffer.Write(header);
            buffer.Write(payload);
        }

        return buffer.ToArray();
    }

    /// <summary>A stream that yields <paramref name="frames"/> and then ends, as when the program exited.</summary>
    public static MultiplexedStream Stream(params (byte Stream, byte[] Payload)[] frames) =>
        new(new MemoryStream(Encode(frames)), multiplexed: true);
}
