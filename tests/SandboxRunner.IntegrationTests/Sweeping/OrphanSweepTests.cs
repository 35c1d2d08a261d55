using System.Diagnostics;
using System.Globalization;
using SandboxRunner.IntegrationTests.Infrastructure;
using SandboxRunner.IntegrationTests.Proxy;

namespace SandboxRunner.IntegrationTests.Sweeping;

/// <summary>
/// The sweeper removes what a dead owner or an expiry left behind, and nothing else: not a container
/// it does not own, not a live run's sandbox before its expiry.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class OrphanSweepTests
{
    private const string NeverExistingPid = "999999";

    private readonly List<string> _created = [];
    private string? _ownerPidToRemove;

    [TearDown]
    public async Task RemoveWhatTheTestCreatedAsync()
    {
        foreach (var id in _created)
        {
            await DockerCli.RunAsync("rm", "-f", "-v", id);
        }

        _created.Clear();
        if (_ownerPidToRemove is not null)
        {
            var left = await DockerCli.RunAsync("ps", "-a", "-q", "--filter", "label=sandboxrunner.owner.pid=" + _ownerPidToRemove);
            foreach (var id in left.Lines)
            {
                await DockerCli.RunAsync("rm", "-f", "-v", id);
            }

            _ownerPidToRemove = null;
        }
    }

    [OneTimeTearDown]
    public async Task NothingIsLeftAsync() =>
        Assert.That(await DockerCli.ListTestContainersAsync(), Is.Empty, $"containers labelled {TestRun.LabelFilter} are left");

    [Test]
    [CancelAfter(90_000)]
    public async Task Sweep_OwnerProcessKilledMidRun_FreshProcessRemovesItsContainerAsOwnerGone(CancellationToken cancellationToken)
    {
        await RepositoryLayout.EnsureCliBuiltAsync(cancellationToken);
        string containerId;
        using (var owner = SandboxRunCli.Start(
            ["run", "--host", EngineEndpoint.Direct.Uri, "--image", TestRun.PythonImage, "--timeout", "100", "--", "python3", "-c", "import time; time.sleep(120)"]))
        {
            _ownerPidToRemove = owner.Id.ToString(CultureInfo.InvariantCulture);
            try
            {
                containerId = await WaitForRunningContainerAsync(_ownerPidToRemove, owner, cancellationToken);
            }
            finally
            {
                owner.Kill(entireProcessTree: true);

                // Reap it: a zombie still has its /proc entry and would look alive to the sweeper.
                await owner.WaitForExitAsync(CancellationToken.None);
            }
        }

        Assert.That(await DockerCli.ContainerExistsAsync(containerId), Is.True, "SIGKILL gives the runner no chance to remove its sandbox");

        var sweep = await SandboxRunCli.RunAsync(["sweep", "--host", EngineEndpoint.Direct.Uri], cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(sweep.ExitCode, Is.Zero, sweep.StandardOutput + sweep.StandardError);
            Assert.That(sweep.StandardOutput, Does.Contain($"removed {containerId} (owner-gone)"), sweep.StandardOutput + sweep.StandardError);
        });
        Assert.That(await DockerCli.ContainerExistsAsync(containerId), Is.False, "the orphan is gone after the sweep");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task SweepAsync_ContainersWithoutTheManagedLabel_AreNotTouched(CancellationToken cancellationToken)
    {
        // Plain, and one that looks expired and ownerless in every respect but the managed label.
        var plain = await CreateAsync([], cancellationToken);
        var lookalike = await CreateAsync(
            [
                "sandboxrunner.managed=false", "sandboxrunner.owner.host=" + Environment.MachineName,
                "sandboxrunner.owner.pid=" + NeverExistingPid, "sandboxrunner.owner.started=1", "sandboxrunner.expires=1",
            ],
            cancellationToken);

        var report = await SweepAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(report.Removed.Select(r => r.SandboxId), Does.Not.Contain(plain).And.Not.Contain(lookalike));
            Assert.That(report.Failed, Is.Empty);
        });
        var plainExists = await DockerCli.ContainerExistsAsync(plain);
        var lookalikeExists = await DockerCli.ContainerExistsAsync(lookalike);
        Assert.Multiple(() =>
        {
            Assert.That(plainExists, Is.True, "an unlabelled container survives");
            Assert.That(lookalikeExists, Is.True, "a container without sandboxrunner.managed=true survives");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task SweepAsync_LiveOwnerBeforeExpiry_KeepsTheContainer(CancellationToken cancellationToken)
    {
        var live = await CreateAsync(Managed(ThisProcessId(), ThisProcessStarted(), DateTimeOffset.UtcNow.AddHours(1)), cancellationToken);

        var report = await SweepAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(report.Examined, Is.GreaterThanOrEqualTo(1), "the container carries the sweeper's labels");
            Assert.That(report.Removed.Select(r => r.SandboxId), Does.Not.Contain(live));
        });
        Assert.That(await DockerCli.ContainerExistsAsync(live), Is.True);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task SweepAsync_LiveOwnerPastExpiry_RemovesItAsExpired(CancellationToken cancellationToken)
    {
        var expired = await CreateAsync(Managed(ThisProcessId(), ThisProcessStarted(), DateTimeOffset.UtcNow.AddMinutes(-1)), cancellationToken);

        var report = await SweepAsync(cancellationToken);

        Assert.That(report.Removed, Has.One.Matches<SweptSandbox>(r => r.SandboxId == expired && r.Reason == "expired"), Describe(report));
        Assert.That(await DockerCli.ContainerExistsAsync(expired), Is.False);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task SweepAsync_OwnerProcessDoesNotExist_RemovesItAsOwnerGone(CancellationToken cancellationToken)
    {
        var orphan = await CreateAsync(Managed(NeverExistingPid, ThisProcessStarted(), DateTimeOffset.UtcNow.AddHours(1)), cancellationToken);

        var report = await SweepAsync(cancellationToken);

        Assert.That(report.Removed, Has.One.Matches<SweptSandbox>(r => r.SandboxId == orphan && r.Reason == "owner-gone"), Describe(report));
        Assert.That(await DockerCli.ContainerExistsAsync(orphan), Is.False);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task SweepAsync_PidReusedByAnotherProcess_RemovesItAsOwnerGone(CancellationToken cancellationToken)
    {
        // This process's pid, but a start time an hour before it: the pid now belongs to someone else.
        var started = (long.Parse(ThisProcessStarted(), CultureInfo.InvariantCulture) - 3600).ToString(CultureInfo.InvariantCulture);
        var orphan = await CreateAsync(Managed(ThisProcessId(), started, DateTimeOffset.UtcNow.AddHours(1)), cancellationToken);

        var report = await SweepAsync(cancellationToken);

        Assert.That(report.Removed, Has.One.Matches<SweptSandbox>(r => r.SandboxId == orphan && r.Reason == "owner-gone"), Describe(report));
    }

    private static async Task<string> WaitForRunningContainerAsync(string ownerPid, Process owner, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(45))
        {
            var found = await DockerCli.RunAsync(
                ["ps", "-q", "--no-trunc", "--filter", "label=sandboxrunner.managed=true", "--filter", "label=sandboxrunner.owner.pid=" + ownerPid],
                cancellationToken);
            if (found.Lines.Count == 1)
            {
                return found.Lines[0];
            }

            if (owner.HasExited)
            {
                Assert.Fail($"sandboxrun run exited ({owner.ExitCode}) before its sandbox was seen running: {await owner.StandardError.ReadToEndAsync(cancellationToken)}");
            }

            await Task.Delay(200, cancellationToken);
        }

        Assert.Fail($"no running sandbox of pid {ownerPid} appeared within 45 s");
        return string.Empty;
    }

    private static string ThisProcessId() => Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    /// <summary>This process's start time in Unix seconds, computed as SandboxLabels does.</summary>
    private static string ThisProcessStarted()
    {
        using var process = Process.GetCurrentProcess();
        return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    }

    private static string[] Managed(string pid, string started, DateTimeOffset expires) =>
    [
        "sandboxrunner.managed=true",
        "sandboxrunner.run-id=" + Guid.NewGuid().ToString("N"),
        "sandboxrunner.owner.host=" + Environment.MachineName,
        "sandboxrunner.owner.pid=" + pid,
        "sandboxrunner.owner.started=" + started,
        "sandboxrunner.created=" + DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        "sandboxrunner.expires=" + expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
    ];

    private static string Describe(SandboxSweepReport report) =>
        $"examined {report.Examined}, removed [{string.Join(", ", report.Removed)}], failed [{string.Join(", ", report.Failed)}]";

    private static async Task<SandboxSweepReport> SweepAsync(CancellationToken cancellationToken)
    {
        var options = new SandboxRunnerOptions { Endpoint = EngineEndpoint.Direct.Uri };
        options.Labels[TestRun.LabelKey] = TestRun.Id;
        await using var sweeper = SandboxRunnerFactory.CreateDockerSweeper(options);
        return await sweeper.SweepAsync(cancellationToken);
    }

    /// <summary>Creates (does not start) a python container with the given labels and this run's label.</summary>
    private async Task<string> CreateAsync(string[] labels, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "create", "--network", "none", "--label", TestRun.LabelFilter };
        foreach (var label in labels)
        {
            arguments.Add("--label");
            arguments.Add(label);
        }

        arguments.AddRange([TestRun.PythonImage, "python3", "-c", "pass"]);
        var id = (await DockerCli.RunCheckedAsync([.. arguments], cancellationToken)).Single();
        _created.Add(id);
        return id;
    }
}
