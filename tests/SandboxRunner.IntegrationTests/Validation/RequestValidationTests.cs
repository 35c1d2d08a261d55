using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Validation;

/// <summary>Invalid requests fail with an <see cref="ArgumentException"/> naming the field, before anything is created.</summary>
[TestFixtureSource(typeof(EngineEndpoint), nameof(EngineEndpoint.All))]
[Category("Integration")]
public sealed class RequestValidationTests(EngineEndpoint endpoint) : SandboxFixture(endpoint)
{
    private static readonly SandboxRequest Valid = new() { Command = ["python3", "-c", "print(1)"] };

    public static IEnumerable<TestCaseData> InvalidRequests()
    {
        yield return Case("EmptyCommand", Valid with { Command = [] }, "request.Command");
        yield return Case("EmptyProgram", Valid with { Command = [string.Empty, "x"] }, "request.Command");
        yield return Case("AbsoluteFilePath", Valid with { Files = [SandboxFile.FromText("/etc/passwd", "x")] }, "request.Files[0].Path");
        yield return Case("FilePathLeavingWorkspace", Valid with { Files = [SandboxFile.FromText("ok.txt", "x"), SandboxFile.FromText("a/../../x", "x")] }, "request.Files[1].Path");
        yield return Case("MemoryAboveCeiling", Valid with { Limits = new SandboxLimits { MemoryBytes = 1L << 40 } }, "request.Limits.MemoryBytes");
        yield return Case("ProcessesAboveCeiling", Valid with { Limits = new SandboxLimits { MaxProcesses = 100_000 } }, "request.Limits.MaxProcesses");
        yield return Case("MemoryBelowMinimum", Valid with { Limits = new SandboxLimits { MemoryBytes = 1024 } }, "request.Limits.MemoryBytes");
        yield return Case("MalformedImage", Valid with { Image = "Not A/Valid:Image!" }, "request.Image");
        yield return Case("UpperCaseRepository", Valid with { Image = "127.0.0.1:5000/SandboxRunner/Python:3.11" }, "request.Image");
        yield return Case("NegativeTimeout", Valid with { Timeout = TimeSpan.FromSeconds(-1) }, "request.Timeout");
        yield return Case("ZeroTimeout", Valid with { Timeout = TimeSpan.Zero }, "request.Timeout");
        yield return Case("TimeoutAboveMaximum", Valid with { Timeout = TimeSpan.FromHours(1) }, "request.Timeout");
        yield return Case("EnvironmentNameWithEquals", Valid with { Environment = new Dictionary<string, string> { ["A=B"] = "c" } }, "request.Environment");
        yield return Case("RelativeWorkingDirectory", Valid with { WorkingDirectory = "work" }, "request.WorkingDirectory");
    }

    [TestCaseSource(nameof(InvalidRequests))]
    [CancelAfter(30_000)]
    public async Task RunAsync_InvalidRequest_ThrowsArgumentExceptionNamingTheFieldAndCreatesNothing(
        SandboxRequest request, string field, CancellationToken cancellationToken)
    {
        var before = await CountTestContainersAsync(cancellationToken);

        var thrown = await Thrown.ByAsync(() => Runner.RunAsync(request, cancellationToken));

        Assert.That(thrown, Is.InstanceOf<ArgumentException>(), thrown?.ToString());
        Assert.That(((ArgumentException)thrown!).ParamName, Is.EqualTo(field), thrown.Message);
        Assert.That(await CountTestContainersAsync(cancellationToken), Is.EqualTo(before), "no sandbox is created for an invalid request");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task RunAsync_InvalidRequestOnUnreachableEngine_ThrowsArgumentExceptionBeforeAnyEngineCall(CancellationToken cancellationToken)
    {
        // Validation comes first: an unreachable engine would otherwise surface as SandboxEngineUnavailableException.
        var runner = CreateRunner(options => options.Endpoint = "tcp://127.0.0.1:1");

        var invalid = await Thrown.ByAsync(() => runner.RunAsync(Valid with { Command = [] }, cancellationToken));
        var unavailable = await Thrown.ByAsync(() => runner.RunAsync(Valid, cancellationToken));

        Assert.That(invalid, Is.InstanceOf<ArgumentException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("request.Command"), invalid?.ToString());
        Assert.That(
            unavailable,
            Is.TypeOf<SandboxEngineUnavailableException>().With.Property(nameof(SandboxEngineUnavailableException.Endpoint)).Contains("127.0.0.1:1"),
            unavailable?.ToString());
    }

    private static TestCaseData Case(string name, SandboxRequest request, string field) =>
        new TestCaseData(request, field).SetArgDisplayNames(name);

    [Test]
    [CancelAfter(30_000)]
    public async Task RunAsync_AfterDispose_ThrowsObjectDisposedAndCreatesNothing(CancellationToken cancellationToken)
    {
        var runner = CreateRunner();
        await runner.DisposeAsync();

        Assert.That(async () => await runner.RunAsync(Valid, cancellationToken), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(await CountTestContainersAsync(cancellationToken), Is.Zero);
    }
}
