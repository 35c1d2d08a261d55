using System.Globalization;
using System.Net;

namespace SandboxRunner.Docker;

/// <summary>
/// Agrees on an API version with the engine from the <c>Api-Version</c> header of <c>GET /_ping</c>,
/// the one call every engine and every socket proxy (PING defaults to 1) allows. <c>/version</c> and
/// <c>/info</c> are never called: a least-privilege proxy denies them.
/// </summary>
internal static class ApiVersionNegotiator
{
    /// <summary>The oldest API this library is tested with (Docker 20.10).</summary>
    public static readonly Version Minimum = new(1, 41);

    /// <summary>The newest API the Docker client package speaks (Docker 29).</summary>
    public static readonly Version Maximum = new(1, 52);

    public static async Task<Version> NegotiateAsync(Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = EngineHttp.Create(endpoint);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);

        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(new Uri("/_ping", UriKind.Relative), timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SandboxEngineUnavailableException(endpoint.ToString(), $"The engine at {endpoint} did not answer /_ping within {timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e)
        {
            throw new SandboxEngineUnavailableException(endpoint.ToString(), $"The engine at {endpoint} cannot be reached: {e.Message}", e);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                throw new SandboxAccessDeniedException(SandboxOperations.Connect, null, ProxyPermissions.For(HttpMethod.Get, "/_ping"));
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SandboxEngineUnavailableException(endpoint.ToString(), $"The engine at {endpoint} answered /_ping with {(int)response.StatusCode}.");
            }

            if (!response.Headers.TryGetValues("Api-Version", out var values)
                || !Version.TryParse(values.FirstOrDefault(), out var server))
            {
                throw new SandboxEngineUnavailableException(endpoint.ToString(), $"The engine at {endpoint} gave no Api-Version header on /_ping; it is not a Docker engine.");
            }

            if (server < Minimum)
            {
                throw new SandboxEngineUnavailableException(
                    endpoint.ToString(),
                    string.Create(CultureInfo.InvariantCulture, $"The engine at {endpoint} speaks API {server}; at least {Minimum} (Docker 20.10) is needed."));
            }

            return server > Maximum ? Maximum : server;
        }
    }
}
