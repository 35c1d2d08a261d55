using SandboxRunner.Execution;

namespace SandboxRunner.Tests.Execution;

[TestFixture]
[Category("Unit")]
public sealed class CappedBufferTests
{
    private static byte[] Bytes(int count, int seed = 0) => [.. Enumerable.Range(seed, count).Select(i => (byte)i)];

    [Test]
    public void Write_BelowCap_KeepsEverything()
    {
        var buffer = new CappedBuffer(10);

        buffer.Write(Bytes(4));

        Assert.Multiple(() =>
        {
            Assert.That(buffer.Contents.ToArray(), Is.EqualTo(Bytes(4)));
            Assert.That(buffer.Truncated, Is.False);
            Assert.That(buffer.TotalBytes, Is.EqualTo(4));
        });
    }

    [Test]
    public void Write_ExactlyTheCap_IsNotTruncated()
    {
        var buffer = new CappedBuffer(10);

        buffer.Write(Bytes(10));

        Assert.Multiple(() =>
        {
            Assert.That(buffer.Contents.ToArray(), Is.EqualTo(Bytes(10)));
            Assert.That(buffer.Truncated, Is.False);
        });
    }

    [Test]
    public void Write_PastTheCap_KeepsTheFirstBytesAndCountsAll()
    {
        var buffer = new CappedBuffer(10);

        buffer.Write(Bytes(25));

        Assert.Multiple(() =>
        {
            Assert.That(buffer.Contents.ToArray(), Is.EqualTo(Bytes(10)));
            Assert.That(buffer.Truncated, Is.True);
            Assert.That(buffer.TotalBytes, Is.EqualTo(25));
        });
    }

    [Test]
    public void Write_AfterTheCap_IsDiscardedButCounted()
    {
        var buffer = new CappedBuffer(4);
        buffer.Write(Bytes(4));

        buffer.Write(Bytes(3, seed: 100));
        buffer.Write(ReadOnlySpan<byte>.Empty);

        Assert.Multiple(() =>
        {
            Assert.That(buffer.Contents.ToArray(), Is.EqualTo(Bytes(4)));
            Assert.That(buffer.Truncated, Is.True);
            Assert.That(buffer.TotalBytes, Is.EqualTo(7));
        });
    }

    [Test]
    public void Write_CapZero_KeepsNothing()
    {
        var buffer = new CappedBuffer(0);

        buffer.Write(Bytes(3));

        Assert.Multiple(() =>
        {
            Assert.That(buffer.Contents.IsEmpty, Is.True);
            Assert.That(buffer.Truncated, Is.True);
            Assert.That(buffer.TotalBytes, Is.EqualTo(3));
        });
    }

    [Test]
    public void Write_CapZeroAndNothingWritten_IsNotTruncated()
    {
        var buffer = new CappedBuffer(0);

        buffer.Write(ReadOnlySpan<byte>.Empty);

        Assert.Multiple(() =>
        {
            Assert.That(buffer.Truncated, Is.False);
            Assert.That(buffer.TotalBytes, Is.Zero);
        });
    }

    [Test]
    public void Write_ManySmallWritesAcrossGrowthAndCap_KeepsBytesInOrder()
    {
        const int cap = 10_000;
        var buffer = new CappedBuffer(cap);
        var expected = new List<byte>();

        for (var i = 0; i < 3_000; i++)
        {
            var chunk = Bytes(7, seed: i);
            buffer.Write(chunk);
            expected.AddRange(chunk);
        }

        Assert.Multiple(() =>
        {
            Assert.That(buffer.Contents.ToArray(), Is.EqualTo(expected.Take(cap).ToArray()));
            Assert.That(buffer.TotalBytes, Is.EqualTo(21_000));
            Assert.That(buffer.Truncated, Is.True);
        });
    }

    [Test]
    public void Contents_TakenEarlier_IsUnaffectedByLaterWrites()
    {
        var buffer = new CappedBuffer(100_000);
        buffer.Write(Bytes(3));
        var earlier = buffer.Contents;

        // Enough to regrow the internal array several times.
        buffer.Write(Bytes(50_000, seed: 7));

        Assert.Multiple(() =>
        {
            Assert.That(earlier.ToArray(), Is.EqualTo(Bytes(3)));
            Assert.That(buffer.Contents.Length, Is.EqualTo(50_003));
        });
    }

    [Test]
    public void Constructor_NegativeCap_Throws()
    {
        Assert.That(() => new CappedBuffer(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
