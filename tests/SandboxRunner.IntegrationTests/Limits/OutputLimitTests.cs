using System.Diagnostics;
using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Limits;

/// <summary>Output past the limit is read and discarded: the result keeps the first bytes, memory stays bounded.</summary>
[TestFixtureSource(typeof(EngineEndpoint), nameof(EngineEndpoint.All))]
[Category("Integration")]
public sealed class OutputLimitTests(EngineEndpoint endpoint) : SandboxFixture(endpoint)
{
    private const int OneMebibyte = 1024 * 1024;
    private const long MaxMemoryGrowthBytes = 200L * 1024 * 1024;

    [Test]
    [CancelAfter(240_000)]
    public async Task RunAsync_OutputFlood_IsTruncatedAtTheLimitWithBoundedMemory(CancellationToken cancellationToken)
    {
        // A gigabyte through the proxy takes half a minute more than direct; the proxy path sees a smaller flood.
        var floodBytes = Endpoint.IsDirect ? 1_000_000_000L : 50_000_000L;
        var request = new SandboxRequest
        {
            Image = TestRun.BusyboxImage,
            Command = ["sh", "-c", $"head -c {floodBytes} /dev/zero; echo done >&2"],
            Limits = new SandboxLimits { MaxOutputBytes = OneMebibyte },
            Timeout = TimeSpan.FromSeconds(180),
        };

        using var memory = new MemoryWatch();
        var stopwatch = Stopwatch.StartNew();
        var result = await Runner.RunAsync(request, cancellationToken);
        stopwatch.Stop();
        var (managedGrowth, privateGrowth) = memory.Stop();
        TestContext.Progress.WriteLine(
            $"{Endpoint}: {floodBytes / 1_000_000} MB flood in {stopwatch.Elapsed.TotalSeconds:0.0} s; peak growth managed {managedGrowth / OneMebibyte} MiB, private {privateGrowth / OneMebibyte} MiB");

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.OutputLimitExceeded), $"status {result.Status}, exit {result.ExitCode}, stderr '{result.StandardErrorText}'");
            Assert.That(result.ExitCode, Is.Zero, "the program ran to its end: its output was read, not blocked");
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Exited));
            Assert.That(result.StandardOutputTruncated, Is.True);
            Assert.That(result.StandardOutput.Length, Is.EqualTo(OneMebibyte));
            Assert.That(result.StandardOutput.Span.IndexOfAnyExcept((byte)0), Is.EqualTo(-1), "the kept bytes are the program's zeros");
            Assert.That(result.StandardErrorText, Is.EqualTo("done\n"), "standard error is kept apart and not truncated");
            Assert.That(result.StandardErrorTruncated, Is.False);
            Assert.That(managedGrowth, Is.LessThan(MaxMemoryGrowthBytes), "managed heap growth");
            Assert.That(privateGrowth, Is.LessThan(MaxMemoryGrowthBytes), "private memory growth");
        });
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task RunAsync_PythonPrintLoopPastLimit_KeepsTheFirstLines(CancellationToken cancellationToken)
    {
        var code = "import sys\nfor i in range(2_000_000):\n    sys.stdout.write('line %07d\\n' % i)";
        var request = Python(code) with { Limits = new SandboxLimits { MaxOutputBytes = 64 * 1024 } };

        var result = await Runner.RunAsync(request, cancellationToken);

        var expectedStart = string.Concat(Enumerable.Range(0, 100).Select(i => $"line {i:0000000}\n"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.OutputLimitExceeded), $"status {result.Status}, exit {result.ExitCode}, stderr '{result.StandardErrorText}'");
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(result.StandardOutputTruncated, Is.True);
            Assert.That(result.StandardOutput.Length, Is.EqualTo(64 * 1024));
            Assert.That(result.StandardOutputText, Does.StartWith(expectedStart));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_StandardErrorFlood_TruncatesOnlyStandardError(CancellationToken cancellationToken)
    {
        var request = Shell("echo out; head -c 5000000 /dev/zero >&2") with { Limits = new SandboxLimits { MaxOutputBytes = 4096 } };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.OutputLimitExceeded), $"status {result.Status}, exit {result.ExitCode}");
            Assert.That(result.StandardErrorTruncated, Is.True);
            Assert.That(result.StandardError.Length, Is.EqualTo(4096));
            Assert.That(result.StandardOutputTruncated, Is.False);
            Assert.That(result.StandardOutputText, Is.EqualTo("out\n"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_OutputExactlyAtLimit_IsNotTruncated(CancellationToken cancellationToken)
    {
        var request = Shell("head -c 4096 /dev/zero") with { Limits = new SandboxLimits { MaxOutputBytes = 4096 } };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed), $"status {result.Status}, exit {result.ExitCode}");
            Assert.That(result.StandardOutputTruncated, Is.False);
            Assert.That(result.StandardOutput.Length, Is.EqualTo(4096));
        });
    }

    /// <summary>Samples the process's managed heap and private memory until stopped; reports the peak growth.</summary>
    private sealed class MemoryWatch : IDisposable
    {
        private readonly long _managedBefore;
        private readonly long _privateBefore;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private long _managedPeak;
        private long _privatePeak;

        public MemoryWatch()
        {
            _managedBefore = GC.GetTotalMemory(forceFullCollection: true);
            _privateBefore = PrivateBytes();
            _managedPeak = _managedBefore;
            _privatePeak = _privateBefore;
            _sampling = Task.Run(SampleAsync);
        }

        public (long Managed, long Private) Stop()
        {
            _stop.Cancel();
            _sampling.GetAwaiter().GetResult();
            Sample();
            return (Interlocked.Read(ref _managedPeak) - _managedBefore, Interlocked.Read(ref _privatePeak) - _privateBefore);
        }

        public void Dispose() => _stop.Dispose();

        private static long PrivateBytes()
        {
            using var process = Process.GetCurrentProcess();
            return process.PrivateMemorySize64;
        }

        private async Task SampleAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Sample();
                try
                {
                    await Task.Delay(100, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        private void Sample()
        {
            var managed = GC.GetTotalMemory(forceFullCollection: false);
            var privateBytes = PrivateBytes();
            if (managed > Interlocked.Read(ref _managedPeak))
            {
                Interlocked.Exchange(ref _managedPeak, managed);
            }

            if (privateBytes > Interlocked.Read(ref _privatePeak))
            {
                Interlocked.Exchange(ref _privatePeak, privateBytes);
            }
        }
    }
}
