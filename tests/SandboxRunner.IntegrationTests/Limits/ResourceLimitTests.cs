using System.Diagnostics;
using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Limits;

/// <summary>Programs that exceed their memory or process limit end as results, and leave the engine healthy.</summary>
[TestFixtureSource(typeof(EngineEndpoint), nameof(EngineEndpoint.All))]
[Category("Integration")]
public sealed class ResourceLimitTests(EngineEndpoint endpoint) : SandboxFixture(endpoint)
{
    [Test]
    [CancelAfter(90_000)]
    public async Task RunAsync_MemoryHogPastLimit_EndsOutOfMemory(CancellationToken cancellationToken)
    {
        var code = "chunks = []\nprint('allocating', flush=True)\nwhile True:\n    chunks.append(b'x' * (1 << 20))";
        var request = Python(code) with
        {
            Limits = new SandboxLimits { MemoryBytes = 32 * 1024 * 1024 },
            Timeout = TimeSpan.FromSeconds(30),
        };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.OutOfMemory), Describe(result));
            Assert.That(result.ExitCode, Is.EqualTo(137));
            Assert.That(result.Termination, Is.EqualTo(SandboxTermination.Exited), "the kernel ended it, not the deadline");
            Assert.That(result.StandardOutputText, Is.EqualTo("allocating\n"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_ProgramWithinMemoryLimit_IsNotOutOfMemory(CancellationToken cancellationToken)
    {
        var code = "data = b'x' * (8 << 20)\nprint(len(data))";
        var request = Python(code) with { Limits = new SandboxLimits { MemoryBytes = 64 * 1024 * 1024 } };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed), Describe(result));
            Assert.That(result.StandardOutputText, Is.EqualTo("8388608\n"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_ForkLoopPastMaxProcesses_ForkFailsBeforeTheLimit(CancellationToken cancellationToken)
    {
        // Each background sleep is one process; sh and the init process count too.
        var script = "n=0; while [ $n -lt 100 ]; do sleep 30 & n=$((n+1)); echo $n; done; echo all-forked";
        var request = Shell(script) with
        {
            Limits = new SandboxLimits { MaxProcesses = 16 },
            Timeout = TimeSpan.FromSeconds(10),
        };

        var result = await Runner.RunAsync(request, cancellationToken);

        var counts = result.StandardOutputText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Does.Not.Contain("all-forked"), Describe(result));
            Assert.That(counts, Is.Not.Empty, "some forks succeed");
            Assert.That(counts.Select(int.Parse).Max(), Is.LessThan(16), "no more than the pids limit can be alive");
            Assert.That(result.StandardErrorText, Does.Contain("can't fork"));
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed).Or.EqualTo(SandboxStatus.TimedOut));
        });
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task RunAsync_ForkBomb_IsContainedAndTheNextRunWorks(CancellationToken cancellationToken)
    {
        // Every process forks forever and shrugs off failures: it only ends at the deadline.
        var bomb = "import os\nprint('bomb', flush=True)\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass";
        var request = Python(bomb) with
        {
            Limits = new SandboxLimits { MaxProcesses = 16 },
            Timeout = TimeSpan.FromSeconds(3),
        };
        var stopwatch = Stopwatch.StartNew();

        var result = await Runner.RunAsync(request, cancellationToken);
        var elapsed = stopwatch.Elapsed;
        var next = await Runner.RunAsync(Python("print('still fine')"), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut).Or.EqualTo(SandboxStatus.Completed), Describe(result));
            Assert.That(result.StandardOutputText, Does.StartWith("bomb\n"));
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
            Assert.That(next.StandardOutputText, Is.EqualTo("still fine\n"), Describe(next));
            Assert.That(next.Status, Is.EqualTo(SandboxStatus.Completed));
        });
        Assert.That(await CountTestContainersAsync(cancellationToken), Is.Zero, "the bomb's sandbox is gone");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_BusyLoopWithHalfACore_GetsAtMostAboutHalfTheWallTime(CancellationToken cancellationToken)
    {
        var code = "import time\nwall = time.monotonic()\ncpu = time.process_time()\nwhile time.monotonic() - wall < 1.5:\n    pass\n"
            + "print(round((time.process_time() - cpu) / (time.monotonic() - wall), 2))";
        var request = Python(code) with { Limits = new SandboxLimits { CpuCores = 0.5 } };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed), Describe(result));
        var share = double.Parse(result.StandardOutputText, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(share, Is.LessThanOrEqualTo(0.7), "CPU time per wall time under a quota of half a core");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_FileLargerThanMaxFileSize_FailsWithFileTooBig(CancellationToken cancellationToken)
    {
        var code = "import errno\ntry:\n    open('big', 'wb').write(b'x' * 200_000)\n    print('written')\nexcept OSError as e:\n    print(errno.errorcode[e.errno])";
        var request = Python(code) with { Limits = new SandboxLimits { MaxFileSizeBytes = 64 * 1024 } };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.That(result.StandardOutputText, Is.EqualTo("EFBIG\n"), Describe(result));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_MoreOpenFilesThanMaxOpenFiles_FailsWithTooManyOpenFiles(CancellationToken cancellationToken)
    {
        var code = "import errno\nfiles = []\ntry:\n    for i in range(1000):\n        files.append(open('/dev/null'))\n    print('opened all')\n"
            + "except OSError as e:\n    print(errno.errorcode[e.errno], len(files) < 32)";
        var request = Python(code) with { Limits = new SandboxLimits { MaxOpenFiles = 32 } };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.That(result.StandardOutputText, Is.EqualTo("EMFILE True\n"), Describe(result));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_WritePastWorkspaceSizeWithoutFiles_FailsWithNoSpace(CancellationToken cancellationToken)
    {
        var code = "import errno\ntry:\n    open('big', 'wb').write(b'x' * 3_000_000)\n    print('written')\nexcept OSError as e:\n    print(errno.errorcode[e.errno])";
        var request = Python(code) with { Limits = new SandboxLimits { WorkspaceSizeBytes = 2 * 1024 * 1024 } };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.That(result.StandardOutputText, Is.EqualTo("ENOSPC\n"), Describe(result));
    }
}
