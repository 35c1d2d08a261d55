using SandboxRunner.Execution;

namespace SandboxRunner.Tests.Execution;

[TestFixture]
[Category("Unit")]
public sealed class OutputCaptureTests
{
    [Test]
    public void Streams_AreCappedIndependently()
    {
        var capture = new OutputCapture(4);

        capture.StandardOutput.Write("12345"u8);
        capture.StandardError.Write("ab"u8);

        Assert.Multiple(() =>
        {
            Assert.That(capture.StandardOutput.Contents.ToArray(), Is.EqualTo("1234"u8.ToArray()));
            Assert.That(capture.StandardOutput.Truncated, Is.True);
            Assert.That(capture.StandardError.Contents.ToArray(), Is.EqualTo("ab"u8.ToArray()));
            Assert.That(capture.StandardError.Truncated, Is.False);
        });
    }

    [Test]
    public void Truncated_WhenEitherStreamIsCut()
    {
        var neither = new OutputCapture(4);
        neither.StandardOutput.Write("1234"u8);
        var stderrOnly = new OutputCapture(4);
        stderrOnly.StandardError.Write("12345"u8);

        Assert.Multiple(() =>
        {
            Assert.That(neither.Truncated, Is.False);
            Assert.That(stderrOnly.Truncated, Is.True);
        });
    }
}
