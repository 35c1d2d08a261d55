using System.Text.Json;
using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Proxy;

/// <summary>
/// Proxy instances that each lack one permission of the minimal set (CONTAINERS, IMAGES, POST), or PING:
/// the access probe, a run and <c>sandboxrun doctor</c> must each name exactly what is missing.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public sealed class LeastPrivilegeProxyTests
{
    private const string Full = "FULL";

    /// <summary>Ports 23801-23805: one instance per permission set.</summary>
    private static readonly Dictionary<string, int> Ports = new(StringComparer.Ordinal)
    {
        [Full] = 23801, ["CONTAINERS"] = 23802, ["IMAGES"] = 23803, ["POST"] = 23804, ["PING"] = 23805,
    };

    private static readonly string[] AllOperations =
    [
        SandboxOperations.Connect, SandboxOperations.ImageInspect, SandboxOperations.ImagePull, SandboxOperations.List,
        SandboxOperations.Create, SandboxOperations.Upload, SandboxOperations.Attach, SandboxOperations.Start,
        SandboxOperations.Wait, SandboxOperations.Inspect, SandboxOperations.Stop, SandboxOperations.Kill, SandboxOperations.Remove,
    ];

    private readonly Dictionary<string, ProxyInstance> _proxies = new(StringComparer.Ordinal);

    [OneTimeSetUp]
    public async Task StartProxiesAsync()
    {
        foreach (var (off, port) in Ports)
        {
            _proxies[off] = await ProxyInstance.StartAsync(port, ProxyInstance.MinimalSet(off == Full ? null : off));
        }

        await RepositoryLayout.EnsureCliBuiltAsync();
    }

    [OneTimeTearDown]
    public async Task StopProxiesAndCheckNothingIsLeftAsync()
    {
        foreach (var proxy in _proxies.Values)
        {
            await proxy.DisposeAsync();
        }

        Assert.That(await DockerCli.ListTestContainersAsync(), Is.Empty, $"containers labelled {TestRun.LabelFilter} are left");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ProbeAsync_MinimalSet_AllowsEverythingOnApi141(CancellationToken cancellationToken)
    {
        await using var probe = SandboxRunnerFactory.CreateDockerAccessProbe(Options(Full));

        var report = await probe.ProbeAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(report.AllAllowed, Is.True, Describe(report));
            Assert.That(report.ApiVersion, Is.EqualTo("1.41"));
            Assert.That(report.MissingPermissions, Is.Empty);
            Assert.That(report.Checks.Select(c => c.Operation), Is.EquivalentTo(AllOperations));
        });
    }

    [TestCase("IMAGES", new[] { SandboxOperations.ImageInspect, SandboxOperations.ImagePull })]
    [TestCase("POST", new[]
    {
        SandboxOperations.ImagePull, SandboxOperations.Create, SandboxOperations.Upload, SandboxOperations.Attach, SandboxOperations.Start,
        SandboxOperations.Wait, SandboxOperations.Stop, SandboxOperations.Kill, SandboxOperations.Remove,
    })]
    [TestCase("CONTAINERS", new[]
    {
        SandboxOperations.List, SandboxOperations.Create, SandboxOperations.Upload, SandboxOperations.Attach, SandboxOperations.Start,
        SandboxOperations.Wait, SandboxOperations.Inspect, SandboxOperations.Stop, SandboxOperations.Kill, SandboxOperations.Remove,
    })]
    [CancelAfter(30_000)]
    public async Task ProbeAsync_OnePermissionOff_DeniesExactlyTheOperationsNeedingIt(string off, string[] denied, CancellationToken cancellationToken)
    {
        await using var probe = SandboxRunnerFactory.CreateDockerAccessProbe(Options(off));

        var report = await probe.ProbeAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(report.Checks.Where(c => !c.Allowed).Select(c => c.Operation), Is.EquivalentTo(denied), Describe(report));
            Assert.That(report.Checks.Select(c => c.Operation), Is.EquivalentTo(AllOperations));
            Assert.That(report.MissingPermissions, Is.EqualTo(new[] { off }), Describe(report));
            Assert.That(report.AllAllowed, Is.False);
            Assert.That(report.ApiVersion, Is.EqualTo("1.41"));
            Assert.That(report.Checks.Where(c => !c.Allowed).Select(c => c.Detail), Has.All.Contain("403"), Describe(report));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ProbeAsync_PingOff_DeniesConnectAndNamesPing(CancellationToken cancellationToken)
    {
        await using var probe = SandboxRunnerFactory.CreateDockerAccessProbe(Options("PING"));

        var report = await probe.ProbeAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(report.AllAllowed, Is.False);
            Assert.That(report.Checks.Where(c => !c.Allowed).Select(c => c.Operation), Is.EqualTo(new[] { SandboxOperations.Connect }), Describe(report));
            Assert.That(report.MissingPermissions, Is.EqualTo(new[] { "PING" }), Describe(report));
            Assert.That(report.ApiVersion, Is.Null);
        });
    }

    [TestCase("IMAGES", SandboxOperations.ImageInspect)]
    [TestCase("POST", SandboxOperations.Create)]
    [TestCase("CONTAINERS", SandboxOperations.Create)]
    [TestCase("PING", SandboxOperations.Connect)]
    [CancelAfter(60_000)]
    public async Task RunAsync_OnePermissionOff_FailsWithAccessDeniedNamingItAndLeavesNoContainer(string off, string operation, CancellationToken cancellationToken)
    {
        // A fresh runner: it has no image cached, so IMAGES=0 shows at the image lookup.
        await using var runner = SandboxRunnerFactory.CreateDocker(Options(off));

        var failure = await Thrown.ByAsync(() => runner.RunAsync(new SandboxRequest { Command = ["python3", "-c", "print('never')"] }, cancellationToken));

        Assert.That(failure, Is.InstanceOf<SandboxAccessDeniedException>(), failure?.ToString());
        var denied = (SandboxAccessDeniedException)failure!;
        Assert.Multiple(() =>
        {
            Assert.That(denied.RequiredPermissions, Does.Contain(off));
            Assert.That(denied.Operation, Is.EqualTo(operation));
            Assert.That(denied.Message, Does.Contain(off + "=1"));
        });
        Assert.That(await DockerCli.ListTestContainersAsync(cancellationToken), Is.Empty, "a denied run leaves no container");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_MinimalSet_Completes(CancellationToken cancellationToken)
    {
        await using var runner = SandboxRunnerFactory.CreateDocker(Options(Full));

        var result = await runner.RunAsync(new SandboxRequest { Command = ["python3", "-c", "print('through the proxy')"] }, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
            Assert.That(result.StandardOutputText, Is.EqualTo("through the proxy\n"));
        });
        Assert.That(await DockerCli.ContainerExistsAsync(result.SandboxId), Is.False);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Doctor_MinimalSet_ExitsZero(CancellationToken cancellationToken)
    {
        var table = await SandboxRunCli.RunAsync(["doctor", "--host", _proxies[Full].Endpoint], cancellationToken);
        var json = await SandboxRunCli.RunAsync(["doctor", "--host", _proxies[Full].Endpoint, "--json"], cancellationToken);

        using var document = JsonDocument.Parse(json.StandardOutput);
        var root = document.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(table.ExitCode, Is.Zero, table.StandardOutput + table.StandardError);
            Assert.That(table.StandardOutput, Does.Contain("Every operation a sandbox run needs is allowed."));
            Assert.That(json.ExitCode, Is.Zero, json.StandardOutput + json.StandardError);
            Assert.That(root.GetProperty("allAllowed").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("apiVersion").GetString(), Is.EqualTo("1.41"));
            Assert.That(root.GetProperty("missingPermissions").GetArrayLength(), Is.Zero);
        });
    }

    [TestCase("CONTAINERS")]
    [TestCase("IMAGES")]
    [TestCase("POST")]
    [TestCase("PING")]
    [CancelAfter(60_000)]
    public async Task Doctor_OnePermissionOff_ExitsOneAndNamesIt(string off, CancellationToken cancellationToken)
    {
        var json = await SandboxRunCli.RunAsync(["doctor", "--host", _proxies[off].Endpoint, "--json"], cancellationToken);

        Assert.That(json.ExitCode, Is.EqualTo(1), json.StandardOutput + json.StandardError);
        using var document = JsonDocument.Parse(json.StandardOutput);
        var root = document.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("allAllowed").GetBoolean(), Is.False);
            Assert.That(root.GetProperty("missingPermissions").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { off }));
        });
    }


    private static string Describe(SandboxAccessReport report) =>
        string.Join("; ", report.Checks.Select(c => $"{c.Operation}={(c.Allowed ? "allowed" : "DENIED")} ({c.Detail})"));

    private SandboxRunnerOptions Options(string off)
    {
        var options = new SandboxRunnerOptions { Endpoint = _proxies[off].Endpoint, DefaultImage = TestRun.PythonImage };
        options.Labels[TestRun.LabelKey] = TestRun.Id;
        return options;
    }
}
