using System.Net;
using global::Docker.DotNet;
using global::Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;
using SandboxRunner.Docker;
using SandboxRunner.Tests.Fakes;
using SandboxRunner.Validation;

namespace SandboxRunner.Tests.Docker;

[TestFixture]
[Category("Unit")]
[CancelAfter(30_000)]
public sealed class ImageEnsurerTests
{
    private static readonly DockerApiException NotFound = new(HttpStatusCode.NotFound, """{"message":"No such image"}""");

    private static ImageReference Image(string value)
    {
        Assert.That(ImageReference.TryParse(value, out var image), Is.True);
        return image!;
    }

    [Test]
    public async Task EnsureAsync_PresentImage_InspectsOnceThenRemembers(CancellationToken cancellationToken)
    {
        var client = new FakeDockerClient();
        var ensurer = new ImageEnsurer(new SandboxRunnerOptions(), NullLogger.Instance);

        var first = await ensurer.EnsureAsync(client, Image("busybox"), cancellationToken);
        var second = await ensurer.EnsureAsync(client, Image("busybox"), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That((first, second), Is.EqualTo((FakeImageOperations.ImageId, FakeImageOperations.ImageId)));
            Assert.That(client.CallNames, Is.EqualTo(new[] { EngineOps.ImageInspect }));
        });
    }

    [Test]
    public async Task EnsureAsync_Forgotten_InspectsAgain(CancellationToken cancellationToken)
    {
        var client = new FakeDockerClient();
        var ensurer = new ImageEnsurer(new SandboxRunnerOptions(), NullLogger.Instance);
        await ensurer.EnsureAsync(client, Image("busybox"), cancellationToken);

        ensurer.Forget(Image("busybox"));
        await ensurer.EnsureAsync(client, Image("busybox"), cancellationToken);

        Assert.That(client.Count(EngineOps.ImageInspect), Is.EqualTo(2));
    }

    [Test]
    public async Task EnsureAsync_MissingImage_PullsByNameAndTagWithRegistryCredential(CancellationToken cancellationToken)
    {
        var client = new FakeDockerClient();
        var inspections = 0;
        client.Images.OnInspect = (_, _) => ++inspections == 1
            ? Task.FromException<ImageInspectResponse>(NotFound)
            : Task.FromResult(new ImageInspectResponse { ID = "sha256:pulled" });
        var options = new SandboxRunnerOptions();
        options.RegistryCredentials["127.0.0.1:5000"] = new RegistryCredential { Username = "u", Password = "p" };
        var ensurer = new ImageEnsurer(options, NullLogger.Instance);

        var id = await ensurer.EnsureAsync(client, Image("127.0.0.1:5000/team/python:3.11"), cancellationToken);

        var (parameters, auth) = client.ParametersOf<(ImagesCreateParameters, AuthConfig?)>(EngineOps.ImagePull).Single();
        Assert.Multiple(() =>
        {
            Assert.That(id, Is.EqualTo("sha256:pulled"));
            Assert.That(client.CallNames, Is.EqualTo(new[] { EngineOps.ImageInspect, EngineOps.ImagePull, EngineOps.ImageInspect }));
            Assert.That(parameters.FromImage, Is.EqualTo("127.0.0.1:5000/team/python"));
            Assert.That(parameters.Tag, Is.EqualTo("3.11"));
            Assert.That(auth, Is.Not.Null);
            Assert.That((auth!.ServerAddress, auth.Username, auth.Password), Is.EqualTo(("127.0.0.1:5000", "u", "p")));
        });
    }

    [Test]
    public async Task EnsureAsync_PullFailsInProgressStream_ThrowsImageException(CancellationToken cancellationToken)
    {
        var client = new FakeDockerClient();
        client.Images.OnInspect = (_, _) => Task.FromException<ImageInspectResponse>(NotFound);
        client.Images.OnPull = (_, _, progress, _) =>
        {
            progress.Report(new JSONMessage { Error = new JSONError { Message = "manifest unknown" } });
            return Task.CompletedTask;
        };
        var ensurer = new ImageEnsurer(new SandboxRunnerOptions(), NullLogger.Instance);

        var error = await Expect.ThrowsAsync<SandboxImageException>(() => ensurer.EnsureAsync(client, Image("busybox:nope"), cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(error.Image, Is.EqualTo("busybox:nope"));
            Assert.That(error.RegistryMessage, Is.EqualTo("manifest unknown"));
            Assert.That(error.Operation, Is.EqualTo(SandboxOperations.ImagePull));
        });
    }

    [Test]
    public async Task EnsureAsync_PullAnswersError_ThrowsImageExceptionWithEngineMessage(CancellationToken cancellationToken)
    {
        var client = new FakeDockerClient();
        client.Images.OnInspect = (_, _) => Task.FromException<ImageInspectResponse>(NotFound);
        client.Images.OnPull = (_, _, _, _) => Task.FromException(new DockerApiException(HttpStatusCode.NotFound, """{"message":"pull access denied"}"""));
        var ensurer = new ImageEnsurer(new SandboxRunnerOptions(), NullLogger.Instance);

        var error = await Expect.ThrowsAsync<SandboxImageException>(() => ensurer.EnsureAsync(client, Image("busybox:nope"), cancellationToken));

        Assert.That(error.RegistryMessage, Is.EqualTo("pull access denied"));
    }

    [Test]
    public async Task EnsureAsync_PullForbidden_ThrowsAccessDeniedForImages(CancellationToken cancellationToken)
    {
        var client = new FakeDockerClient();
        client.Images.OnInspect = (_, _) => Task.FromException<ImageInspectResponse>(NotFound);
        client.Images.OnPull = (_, _, _, _) => Task.FromException(new DockerApiException(HttpStatusCode.Forbidden, "Forbidden"));
        var ensurer = new ImageEnsurer(new SandboxRunnerOptions(), NullLogger.Instance);

        var error = await Expect.ThrowsAsync<SandboxAccessDeniedException>(() => ensurer.EnsureAsync(client, Image("busybox"), cancellationToken));

        Assert.That(error.RequiredPermissions, Is.EqualTo(new[] { "IMAGES", "POST" }));
    }

    [Test]
    public async Task EnsureAsync_MissingImageWithPolicyNever_ThrowsWithoutPulling(CancellationToken cancellationToken)
    {
        var client = new FakeDockerClient();
        client.Images.OnInspect = (_, _) => Task.FromException<ImageInspectResponse>(NotFound);
        var ensurer = new ImageEnsurer(new SandboxRunnerOptions { PullPolicy = ImagePullPolicy.Never }, NullLogger.Instance);

        await Expect.ThrowsAsync<SandboxImageException>(() => ensurer.EnsureAsync(client, Image("busybox"), cancellationToken));

        Assert.That(client.Count(EngineOps.ImagePull), Is.Zero);
    }

    [Test]
    public async Task EnsureAsync_PolicyAlways_PullsEveryTime(CancellationToken cancellationToken)
    {
        var client = new FakeDockerClient();
        var ensurer = new ImageEnsurer(new SandboxRunnerOptions { PullPolicy = ImagePullPolicy.Always }, NullLogger.Instance);

        await ensurer.EnsureAsync(client, Image("busybox"), cancellationToken);
        await ensurer.EnsureAsync(client, Image("busybox"), cancellationToken);

        Assert.That(client.CallNames, Is.EqualTo(new[] { EngineOps.ImagePull, EngineOps.ImageInspect, EngineOps.ImagePull, EngineOps.ImageInspect }));
    }

    [Test]
    public async Task EnsureAsync_InspectForbidden_ThrowsAccessDeniedForImages(CancellationToken cancellationToken)
    {
        var client = new FakeDockerClient();
        client.Images.OnInspect = (_, _) => Task.FromException<ImageInspectResponse>(new DockerApiException(HttpStatusCode.Forbidden, string.Empty));
        var ensurer = new ImageEnsurer(new SandboxRunnerOptions(), NullLogger.Instance);

        var error = await Expect.ThrowsAsync<SandboxAccessDeniedException>(() => ensurer.EnsureAsync(client, Image("busybox"), cancellationToken));

        Assert.That(error.RequiredPermissions, Is.EqualTo(new[] { "IMAGES" }));
    }
}
