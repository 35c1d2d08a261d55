using System.Collections.Concurrent;
using System.Diagnostics;
using global::Docker.DotNet;
using global::Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using SandboxRunner.Telemetry;
using SandboxRunner.Validation;

namespace SandboxRunner.Docker;

/// <summary>
/// Makes sure an image is present, by the pull policy, and knows its id. Under
/// <see cref="ImagePullPolicy.IfMissing"/> and <see cref="ImagePullPolicy.Never"/> an image seen once is
/// remembered, so later runs make no image call at all; a run that then finds it gone (the engine answers
/// the create with 404) calls <see cref="Forget"/> and ensures again.
/// </summary>
internal sealed class ImageEnsurer(SandboxRunnerOptions options, ILogger logger)
{
    private readonly ConcurrentDictionary<string, string> _known = new(StringComparer.Ordinal);

    public async Task<string> EnsureAsync(IDockerClient client, ImageReference image, CancellationToken cancellationToken)
    {
        if (options.PullPolicy != ImagePullPolicy.Always && _known.TryGetValue(image.Original, out var cached))
        {
            return cached;
        }

        if (options.PullPolicy != ImagePullPolicy.Always)
        {
            var present = await TryInspectAsync(client, image, cancellationToken).ConfigureAwait(false);
            if (present is not null)
            {
                return _known[image.Original] = present;
            }

            if (options.PullPolicy == ImagePullPolicy.Never)
            {
                throw new SandboxImageException(image.Original, SandboxOperations.ImageInspect, "the engine does not have it and the pull policy is Never.");
            }
        }

        await PullAsync(client, image, cancellationToken).ConfigureAwait(false);
        var id = await TryInspectAsync(client, image, cancellationToken).ConfigureAwait(false)
            ?? throw new SandboxImageException(image.Original, SandboxOperations.ImagePull, "the pull reported success, but the engine does not have the image.");
        if (options.PullPolicy != ImagePullPolicy.Always)
        {
            _known[image.Original] = id;
        }

        return id;
    }

    public void Forget(ImageReference image) => _known.TryRemove(image.Original, out _);

    private static async Task<string?> TryInspectAsync(IDockerClient client, ImageReference image, CancellationToken cancellationToken)
    {
        try
        {
            var response = await EngineCall.InvokeAsync(
                SandboxOperations.ImageInspect, null, () => client.Images.InspectImageAsync(image.Original, cancellationToken)).ConfigureAwait(false);
            return response.ID;
        }
        catch (SandboxEngineException e) when (e.StatusCode == 404)
        {
            return null;
        }
    }

    private async Task PullAsync(IDockerClient client, ImageReference image, CancellationToken cancellationToken)
    {
        Log.Pulling(logger, image.Original);
        var started = Stopwatch.GetTimestamp();
        var progress = new PullProgress();
        var parameters = new ImagesCreateParameters { FromImage = image.PullName, Tag = image.PullTag };
        var auth = Credentials(image);
        try
        {
            await client.Images.CreateImageAsync(parameters, auth, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.StatusCode is not System.Net.HttpStatusCode.Forbidden)
        {
            var message = DockerErrors.EngineMessage(e.ResponseBody) ?? e.Message;
            Log.PullFailed(logger, image.Original, message);
            throw new SandboxImageException(image.Original, SandboxOperations.ImagePull, message, e);
        }
        catch (Exception e) when (DockerErrors.Translate(e, SandboxOperations.ImagePull, null) is { } translated && translated != e)
        {
            throw translated;
        }

        // The engine answers 200 and reports a failed pull inside the progress stream.
        if (progress.Error is { } error)
        {
            Log.PullFailed(logger, image.Original, error);
            throw new SandboxImageException(image.Original, SandboxOperations.ImagePull, error);
        }

        var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Log.Pulled(logger, image.Original, elapsedMs);
    }

    private AuthConfig? Credentials(ImageReference image)
    {
        if (!options.RegistryCredentials.TryGetValue(image.Registry, out var credential))
        {
            return null;
        }

        return new AuthConfig
        {
            ServerAddress = image.Registry,
            Username = credential.Username,
            Password = credential.Password,
            IdentityToken = credential.IdentityToken,
        };
    }

    /// <summary>Records the first error of the pull's progress stream, synchronously (no posting to a context).</summary>
    private sealed class PullProgress : IProgress<JSONMessage>
    {
        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            var message = value?.Error?.Message;
            if (Error is null && !string.IsNullOrWhiteSpace(message))
            {
                Error = message;
            }
        }
    }
}
