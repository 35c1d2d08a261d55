using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Images;

/// <summary>Images missing from the engine are pulled from their registry; images that cannot be had are typed errors.</summary>
[TestFixtureSource(typeof(EngineEndpoint), nameof(EngineEndpoint.All))]
[Category("Integration")]
public sealed class ImageTests(EngineEndpoint endpoint) : SandboxFixture(endpoint)
{
    private const string MissingTag = "127.0.0.1:5000/sandboxrunner/busybox:does-not-exist";

    [Test]
    [CancelAfter(120_000)]
    public async Task RunAsync_ImageMissingLocally_IsPulledFromTheRegistry(CancellationToken cancellationToken)
    {
        await RemoveBusyboxAsync(cancellationToken);
        var runner = CreateRunner();

        var result = await runner.RunAsync(Shell("echo pulled"), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("pulled\n"), Describe(result));
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
            Assert.That(result.Timings.Image, Is.GreaterThan(TimeSpan.Zero));
        });
        Assert.That(await DockerCli.ImageExistsAsync(TestRun.BusyboxImage), Is.True, "the pulled image stays on the engine");
        Assert.That(result.ImageId, Is.EqualTo(await DockerCli.ImageIdAsync(TestRun.BusyboxImage)));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task RunAsync_ImageRemovedAfterARunRememberedIt_IsPulledAgain(CancellationToken cancellationToken)
    {
        var runner = CreateRunner();
        var first = await runner.RunAsync(Shell("echo first"), cancellationToken);
        await RemoveBusyboxAsync(cancellationToken);

        var second = await runner.RunAsync(Shell("echo second"), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(first.StandardOutputText, Is.EqualTo("first\n"), Describe(first));
            Assert.That(second.StandardOutputText, Is.EqualTo("second\n"), Describe(second));
            Assert.That(second.Status, Is.EqualTo(SandboxStatus.Completed));
        });
        Assert.That(await DockerCli.ImageExistsAsync(TestRun.BusyboxImage), Is.True);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_TagMissingFromRegistry_ThrowsImageExceptionWithRegistryMessage(CancellationToken cancellationToken)
    {
        var before = await CountTestContainersAsync(cancellationToken);
        var request = new SandboxRequest { Image = MissingTag, Command = ["true"] };

        var thrown = await Thrown.ByAsync(() => Runner.RunAsync(request, cancellationToken));

        Assert.That(thrown, Is.TypeOf<SandboxImageException>(), thrown?.ToString());
        var exception = (SandboxImageException)thrown!;
        Assert.Multiple(() =>
        {
            Assert.That(exception.Image, Is.EqualTo(MissingTag));
            Assert.That(exception.Message, Does.Contain(MissingTag));
            Assert.That(exception.Operation, Is.EqualTo(SandboxOperations.ImagePull));
            Assert.That(exception.RegistryMessage, Does.Contain("manifest unknown").Or.Contain("not found"));
            Assert.That(exception.Message, Does.Contain(exception.RegistryMessage));
        });
        Assert.That(await CountTestContainersAsync(cancellationToken), Is.EqualTo(before), "no sandbox is created for an image that is not there");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_MissingImageWithPullPolicyNever_ThrowsImageExceptionWithoutPulling(CancellationToken cancellationToken)
    {
        var runner = CreateRunner(options => options.PullPolicy = ImagePullPolicy.Never);
        var request = new SandboxRequest { Image = MissingTag, Command = ["true"] };

        var thrown = await Thrown.ByAsync(() => runner.RunAsync(request, cancellationToken));

        Assert.That(thrown, Is.TypeOf<SandboxImageException>(), thrown?.ToString());
        var exception = (SandboxImageException)thrown!;
        Assert.Multiple(() =>
        {
            Assert.That(exception.Image, Is.EqualTo(MissingTag));
            Assert.That(exception.Operation, Is.EqualTo(SandboxOperations.ImageInspect));
        });
        Assert.That(await DockerCli.ImageExistsAsync(MissingTag), Is.False);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task RunAsync_ImageByDigest_IsPulledAndRuns(CancellationToken cancellationToken)
    {
        var digest = await RegistryDigestAsync(cancellationToken);
        var byDigest = TestRun.BusyboxImage[..TestRun.BusyboxImage.LastIndexOf(':')] + "@" + digest;
        await RemoveBusyboxAsync(cancellationToken);
        var runner = CreateRunner();

        var result = await runner.RunAsync(Shell("echo by digest") with { Image = byDigest }, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("by digest\n"), Describe(result));
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
        });
        Assert.That(result.ImageId, Is.EqualTo(await DockerCli.ImageIdAsync(byDigest)));
    }

    private static async Task RemoveBusyboxAsync(CancellationToken cancellationToken)
    {
        // Absent already (a fresh test bed keeps it only in the registry) is fine; a copy pulled by digest goes too.
        await DockerCli.RunAsync(["rmi", TestRun.BusyboxImage], cancellationToken);
        var digest = await RegistryDigestAsync(cancellationToken);
        await DockerCli.RunAsync(["rmi", TestRun.BusyboxImage[..TestRun.BusyboxImage.LastIndexOf(':')] + "@" + digest], cancellationToken);
        Assert.That(await DockerCli.ImageExistsAsync(TestRun.BusyboxImage), Is.False, "the busybox image could not be removed before the test");
    }

    /// <summary>The manifest digest the registry serves for the busybox tag.</summary>
    private static async Task<string> RegistryDigestAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, "http://127.0.0.1:5000/v2/sandboxrunner/busybox/manifests/1");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = await client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task RunAsync_ConcurrentRunsOfAMissingImage_AllSucceed(CancellationToken cancellationToken)
    {
        await RemoveBusyboxAsync(cancellationToken);
        var runner = CreateRunner();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => runner.RunAsync(Shell($"echo run {i}"), cancellationToken)));

        Assert.Multiple(() =>
        {
            for (var i = 0; i < results.Length; i++)
            {
                Assert.That(results[i].StandardOutputText, Is.EqualTo($"run {i}\n"), Describe(results[i]));
            }
        });
    }
}
