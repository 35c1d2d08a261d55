namespace SandboxRunner.Execution;

/// <summary>
/// Keeps the first <c>cap</c> bytes written to it and counts the rest: memory stays bounded by the cap
/// whatever a program writes. Each byte is copied once, from the read buffer into this one.
/// </summary>
internal sealed class CappedBuffer
{
    /// <summary>Most programs of a sandbox print a few lines: start small, grow by doubling.</summary>
    private const int InitialSize = 256;
    private readonly int _cap;
    private byte[] _buffer = [];
    private int _length;

    public CappedBuffer(int cap)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cap);
        _cap = cap;
    }

    /// <summary>Gets whether bytes past the cap were discarded.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Gets the number of bytes written, kept or not.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Gets the bytes kept. The memory stays valid; later writes do not change what was returned.</summary>
    public ReadOnlyMemory<byte> Contents => _buffer.AsMemory(0, _length);

    public void Write(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;
        var room = _cap - _length;
        if (data.Length > room)
        {
            Truncated = true;
            data = data[..room];
        }

        if (data.IsEmpty)
        {
            return;
        }

        EnsureCapacity(_length + data.Length);
        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _buffer.Length)
        {
            return;
        }

        var size = Math.Max(InitialSize, _buffer.Length);
        while (size < needed)
        {
            size = size > _cap / 2 ? _cap : size * 2;
        }

        Array.Resize(ref _buffer, Math.Min(Math.Max(size, needed), _cap));
    }
}
