using System.Diagnostics.Metrics;
using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Pooling;

/// <summary>
/// Warm sandboxes: started ahead of demand, blocked on stdin, each serving exactly one run, removed
/// after it and on disposal.
/// </summary>
[TestFixtureSource(typeof(EngineEndpoint), nameof(EngineEndpoint.All))]
[Category("Integration")]
public sealed class WarmPoolTests(EngineEndpoint endpoint) : SandboxFixture(endpoint)
{
    private static readonly string[] PythonFromStdin = ["python3", "-"];

    [Test]
    [CancelAfter(90_000)]
    public async Task RunAsync_MatchingRequest_RunsInASandboxStartedBeforeIt(CancellationToken cancellationToken)
    {
        var runner = CreatePooledRunner(size: 1);
        var waiting = await WaitForWarmAsync(1, cancellationToken);

        var result = await runner.RunAsync(FromStdin("import os; print(6 * 7, os.getcwd(), os.getuid())"), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed), Describe(result));
            Assert.That(result.StandardOutputText, Is.EqualTo($"42 {SandboxPaths.Workspace} 65534\n"));
            Assert.That(waiting, Does.Contain(result.SandboxId), "the run used a sandbox that was waiting before it");
            Assert.That(result.Timings.Create, Is.EqualTo(TimeSpan.Zero));
        });
        await runner.DisposeAsync();
        Assert.That(await CountTestContainersAsync(cancellationToken), Is.Zero, "disposal removes the used and the idle sandboxes");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task RunAsync_TwoRuns_NeverShareASandboxOrItsFiles(CancellationToken cancellationToken)
    {
        var runner = CreatePooledRunner(size: 2);
        await WaitForWarmAsync(2, cancellationToken);
        const string Write = "open('secret.txt', 'w').write('run 1'); open('/tmp/secret.txt', 'w').write('run 1'); print('written')";
        const string Look = "import os; print(os.path.exists('secret.txt'), os.path.exists('/tmp/secret.txt'))";

        var first = await runner.RunAsync(FromStdin(Write), cancellationToken);
        await WaitForWarmAsync(2, cancellationToken);
        var second = await runner.RunAsync(FromStdin(Look), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(first.StandardOutputText, Is.EqualTo("written\n"), Describe(first));
            Assert.That(second.StandardOutputText, Is.EqualTo("False False\n"), Describe(second));
            Assert.That(second.SandboxId, Is.Not.EqualTo(first.SandboxId));
        });
        Assert.That(await DockerCli.ContainerExistsAsync(first.SandboxId), Is.False, "a used warm sandbox is removed");
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task RunAsync_WarmRunWithFiles_FilesAreInTheWorkspaceBeforeTheInput(CancellationToken cancellationToken)
    {
        var runner = CreatePooledRunner(size: 1);
        var waiting = await WaitForWarmAsync(1, cancellationToken);
        var request = FromStdin("import helper; print(helper.ANSWER)") with
        {
            Files = [SandboxFile.FromText("helper.py", "ANSWER = 'from a file'\n")],
        };

        var result = await runner.RunAsync(request, cancellationToken);

        Assert.That(result.StandardOutputText, Is.EqualTo("from a file\n"), Describe(result));
        Assert.That(waiting, Does.Contain(result.SandboxId));
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task RunAsync_WarmProgramPastItsDeadline_TimesOutAndKeepsItsOutput(CancellationToken cancellationToken)
    {
        var runner = CreatePooledRunner(size: 1);
        var waiting = await WaitForWarmAsync(1, cancellationToken);

        var result = await runner.RunAsync(
            FromStdin("print('spinning', flush=True)\nwhile True: pass") with { Timeout = TimeSpan.FromSeconds(2) }, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.TimedOut), Describe(result));
            Assert.That(result.StandardOutputText, Is.EqualTo("spinning\n"));
            Assert.That(waiting, Does.Contain(result.SandboxId));
        });
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task RunAsync_WarmRunWithFiles_WorkspaceIsMemoryBackedOwnedByTheUserAndCapped(CancellationToken cancellationToken)
    {
        var limits = new SandboxLimits { WorkspaceSizeBytes = 1024 * 1024 };
        var runner = CreatePooledRunner(size: 1, limits);
        var waiting = await WaitForWarmAsync(1, cancellationToken);
        const string Program = """
            import os
            st = os.stat('.')
            fs = [l.split(' - ')[1].split()[0] for l in open('/proc/self/mountinfo') if ' /sandbox/work ' in l]
            print(st.st_uid, oct(st.st_mode & 0o777), fs, open('nested/given.txt').read())
            try:
                open('big', 'wb').write(b'x' * 2 * 1024 * 1024)
                print('written')
            except OSError as e:
                print('full', e.errno)
            """;
        var request = FromStdin(Program) with
        {
            Limits = limits,
            Files = [SandboxFile.FromText("nested/given.txt", "given")],
        };

        var result = await runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("65534 0o700 ['tmpfs'] given\nfull 28\n"), Describe(result));
            Assert.That(waiting, Does.Contain(result.SandboxId));
        });
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task RunAsync_RequestOutsideTheProfile_RunsCold(CancellationToken cancellationToken)
    {
        var runner = CreatePooledRunner(size: 1);
        var waiting = await WaitForWarmAsync(1, cancellationToken);

        var result = await runner.RunAsync(Python("print('cold')"), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("cold\n"), Describe(result));
            Assert.That(waiting, Does.Not.Contain(result.SandboxId));
            Assert.That(result.Timings.Create, Is.GreaterThan(TimeSpan.Zero));
        });
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task RunAsync_MatchingRequests_AreCountedAsHitsAndMissesOthersNotAtAll(CancellationToken cancellationToken)
    {
        var runner = CreatePooledRunner(size: 1);
        await WaitForWarmAsync(1, cancellationToken);
        using var takes = new TakeRecorder(TestRun.PythonImage);

        // The one sandbox is taken by a run that lasts; its replacement waits for the run or the refill delay.
        var first = runner.RunAsync(FromStdin("import time; time.sleep(1.5); print('warm')"), cancellationToken);
        while (takes.Count("hit") == 0 && !first.IsCompleted)
        {
            await Task.Delay(5, cancellationToken);
        }

        var second = await runner.RunAsync(FromStdin("print('cold')"), cancellationToken);
        var outside = await runner.RunAsync(Python("print('outside')"), cancellationToken);
        var firstResult = await first;

        Assert.Multiple(() =>
        {
            Assert.That(firstResult.StandardOutputText, Is.EqualTo("warm\n"), Describe(firstResult));
            Assert.That(second.StandardOutputText, Is.EqualTo("cold\n"), Describe(second));
            Assert.That(second.Timings.Create, Is.GreaterThan(TimeSpan.Zero), "the pool was empty: the second run went cold");
            Assert.That(outside.StandardOutputText, Is.EqualTo("outside\n"));
            Assert.That((takes.Count("hit"), takes.Count("miss")), Is.EqualTo((1, 1)), "a request outside every profile is neither");
        });
    }

    private static SandboxRequest FromStdin(string program) => new()
    {
        Command = PythonFromStdin,
        StandardInput = Utf8(program),
    };

    /// <summary>Labels the sandboxes of one pooled runner, so that a test waits for its own pool only.</summary>
    private const string PoolLabel = "sandboxrunner-tests.pool";

    private string _pool = string.Empty;

    private ISandboxRunner CreatePooledRunner(int size, SandboxLimits? limits = null) => CreateRunner(options =>
    {
        _pool = Guid.NewGuid().ToString("N");
        options.Labels[PoolLabel] = _pool;
        var pool = new WarmPoolOptions { Image = TestRun.PythonImage, Size = size, Limits = limits };
        foreach (var argument in PythonFromStdin)
        {
            pool.Command.Add(argument);
        }

        options.WarmPools.Add(pool);
    });

    /// <summary>Waits until at least <paramref name="count"/> sandboxes of the test's pool are running, and returns their ids.</summary>
    private async Task<IReadOnlyList<string>> WaitForWarmAsync(int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var running = await DockerCli.RunCheckedAsync(
                ["ps", "-q", "--no-trunc", "--filter", $"label={PoolLabel}={_pool}", "--filter", "status=running"], cancellationToken);
            if (running.Count >= count)
            {
                return running;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Counts <c>sandboxrunner.warm_pool.takes</c> by result for one image.</summary>
    private sealed class TakeRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

        public TakeRecorder(string image)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "SandboxRunner" && instrument.Name == "sandboxrunner.warm_pool.takes")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? result = null;
                var ofImage = false;
                foreach (var tag in tags)
                {
                    ofImage |= tag.Key == "sandboxrunner.image" && Equals(tag.Value, image);
                    result = tag.Key == "sandboxrunner.warm_pool.result" ? tag.Value as string : result;
                }

                if (ofImage && result is not null)
                {
                    lock (_counts)
                    {
                        _counts[result] = _counts.GetValueOrDefault(result) + (int)value;
                    }
                }
            });
            _listener.Start();
        }

        public int Count(string result)
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault(result);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
