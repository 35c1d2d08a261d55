namespace SandboxRunner.Tests;

[TestFixture]
[Category("Unit")]
public sealed class SandboxResultTests
{
    private static SandboxResult Result(byte[] stdout, byte[] stderr) => new()
    {
        Status = SandboxStatus.Completed,
        ExitCode = 0,
        StandardOutput = stdout,
        StandardError = stderr,
        Timings = new SandboxTimings(),
        SandboxId = "id",
        ImageId = "sha256:x",
    };

    [Test]
    public void Text_ValidUtf8_IsDecoded()
    {
        var result = Result("héllo ✓"u8.ToArray(), "€"u8.ToArray());

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("héllo ✓"));
            Assert.That(result.StandardErrorText, Is.EqualTo("€"));
        });
    }

    [Test]
    public void Text_InvalidUtf8_BecomesReplacementCharacters()
    {
        var result = Result([(byte)'a', 0xFF, (byte)'b'], [0xE2, 0x82]);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("a\uFFFDb"));
            Assert.That(result.StandardErrorText, Is.EqualTo("\uFFFD"));
        });
    }

    [Test]
    public void Text_NoOutput_IsEmpty()
    {
        var result = Result([], []);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.Empty);
            Assert.That(result.StandardErrorText, Is.Empty);
        });
    }
}
