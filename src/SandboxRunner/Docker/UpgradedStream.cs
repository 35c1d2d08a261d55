using System.Net.Sockets;
using Docker.DotNet.Handler.Abstractions;

namespace SandboxRunner.Docker;

/// <summary>
/// The raw, duplex connection left after an HTTP upgrade (101): reads first return what arrived with the
/// response head, then read the socket; writes go to the socket; <see cref="CloseWrite"/> half-closes it,
/// which is how a program sees the end of its stdin.
/// </summary>
internal sealed class UpgradedStream(Socket socket, NetworkStream stream, ReadOnlyMemory<byte> buffered) : WriteClosableStream
{
    private ReadOnlyMemory<byte> _buffered = buffered;

    public override bool CanCloseWrite => true;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void CloseWrite() => socket.Shutdown(SocketShutdown.Send);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (TakeBuffered(buffer) is var taken and > 0)
        {
            return taken;
        }

        return stream.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TakeBuffered(buffer.Span) is var taken and > 0)
        {
            return new ValueTask<int>(taken);
        }

        return stream.ReadAsync(buffer, cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count) => stream.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => stream.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        stream.WriteAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        stream.WriteAsync(buffer, cancellationToken);

    public override void Flush()
    {
        // Writes go straight to the socket.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            stream.Dispose();
        }

        base.Dispose(disposing);
    }

    private int TakeBuffered(Span<byte> destination)
    {
        if (_buffered.IsEmpty || destination.IsEmpty)
        {
            return 0;
        }

        var count = Math.Min(destination.Length, _buffered.Length);
        _buffered.Span[..count].CopyTo(destination);
        _buffered = _buffered[count..];
        return count;
    }
}
