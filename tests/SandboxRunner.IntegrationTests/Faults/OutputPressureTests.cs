using System.Diagnostics;
using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Faults;

/// <summary>A program that writes without end does not keep its sandbox from being stopped and removed.</summary>
[TestFixtureSource(typeof(EngineEndpoint), nameof(EngineEndpoint.All))]
[Category("Integration")]
public sealed class OutputPressureTests(EngineEndpoint endpoint) : SandboxFixture(endpoint)
{
    private const int OutputLimit = 64 * 1024;

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_EndlessOutputPastTheLimit_TimesOutTruncatedAndIsRemoved(CancellationToken cancellationToken)
    {
        var request = new SandboxRequest
        {
            Image = TestRun.BusyboxImage,
            Command = ["cat", "/dev/zero"],
            Timeout = TimeSpan.FromSeconds(2),
            Limits = new SandboxLimits { MaxOutputBytes = OutputLimit },
        };
        var clock = Stopwatch.StartNew();

        var result = await Runner.RunAsync(request, cancellationToken);

        clock.Stop();
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut), $"{result.Status} exit {result.ExitCode} stderr '{result.StandardErrorText}'");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
            Assert.That(result.StandardOutputTruncated, Is.True);
            Assert.That(result.StandardOutput.Length, Is.EqualTo(OutputLimit));
            Assert.That(result.StandardOutput.Span.IndexOfAnyExcept((byte)0), Is.EqualTo(-1), "what was kept is the program's zeros");
            Assert.That(result.CleanupFailed, Is.False);
        });
        Assert.That(await DockerCli.ContainerExistsAsync(result.SandboxId), Is.False);
    }
}
