using global::Docker.DotNet;
using global::Docker.DotNet.Models;

namespace SandboxRunner.Tests.Fakes;

/// <summary>Image operations of <see cref="FakeDockerClient"/>: inspect and pull answer through delegates.</summary>
internal sealed class FakeImageOperations(FakeDockerClient owner) : IImageOperations
{
    public const string ImageId = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    public Func<string, CancellationToken, Task<ImageInspectResponse>> OnInspect { get; set; } =
        (_, _) => Task.FromResult(new ImageInspectResponse { ID = ImageId });

    public Func<ImagesCreateParameters, AuthConfig?, IProgress<JSONMessage>, CancellationToken, Task> OnPull { get; set; } = (_, _, _, _) => Task.CompletedTask;

    public Task<ImageInspectResponse> InspectImageAsync(string name, CancellationToken cancellationToken = default)
    {
        owner.Record(EngineOps.ImageInspect, name, null);
        return OnInspect(name, cancellationToken);
    }

    public Task CreateImageAsync(ImagesCreateParameters parameters, AuthConfig? authConfig, IProgress<JSONMessage> progress, CancellationToken cancellationToken = default)
    {
        owner.Record(EngineOps.ImagePull, parameters.FromImage, (parameters, authConfig));
        return OnPull(parameters, authConfig, progress, cancellationToken);
    }

    public Task<IList<ImagesListResponse>> ListImagesAsync(ImagesListParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task BuildImageFromDockerfileAsync(ImageBuildParameters parameters, Stream contents, IEnumerable<AuthConfig>? authConfigs, IDictionary<string, string>? headers, IProgress<JSONMessage> progress, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Stream> BuildImageFromDockerfileAsync(Stream contents, ImageBuildParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task CreateImageAsync(ImagesCreateParameters parameters, AuthConfig? authConfig, IDictionary<string, string>? headers, IProgress<JSONMessage> progress, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task CreateImageAsync(ImagesCreateParameters parameters, Stream? imageStream, AuthConfig? authConfig, IProgress<JSONMessage> progress, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task CreateImageAsync(ImagesCreateParameters parameters, Stream? imageStream, AuthConfig? authConfig, IDictionary<string, string>? headers, IProgress<JSONMessage> progress, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IList<ImageHistoryResponse>> GetImageHistoryAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task PushImageAsync(string name, ImagePushParameters parameters, AuthConfig? authConfig, IProgress<JSONMessage> progress, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task TagImageAsync(string name, ImageTagParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IList<IDictionary<string, string>>> DeleteImageAsync(string name, ImageDeleteParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IList<ImageSearchResponse>> SearchImagesAsync(ImagesSearchParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ImagesPruneResponse> PruneImagesAsync(ImagesPruneParameters? parameters = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<CommitContainerChangesResponse> CommitContainerChangesAsync(CommitContainerChangesParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Stream> SaveImageAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Stream> SaveImagesAsync(string[]? names, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task LoadImageAsync(ImageLoadParameters parameters, Stream imageStream, IProgress<JSONMessage> progress, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
