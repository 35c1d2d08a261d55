using System.Net.Sockets;

namespace SandboxRunner.IntegrationTests.Infrastructure;

/// <summary>Asks an endpoint for <c>GET /_ping</c> with a plain HTTP client, independent of the library.</summary>
public static class EnginePing
{
    /// <summary>Returns <see langword="null"/> when the endpoint answered <c>OK</c>, else why not.</summary>
    public static async Task<string?> ProblemAsync(EngineEndpoint endpoint, TimeSpan timeout)
    {
        var uri = new Uri(endpoint.Uri);
        using var handler = new SocketsHttpHandler { UseProxy = false };
        Uri baseAddress;
        if (uri.Scheme == "unix")
        {
            var path = uri.LocalPath;
            handler.ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
            baseAddress = new Uri("http://localhost");
        }
        else
        {
            baseAddress = new Uri($"http://{uri.Authority}");
        }

        using var client = new HttpClient(handler) { Timeout = timeout };
        try
        {
            using var response = await client.GetAsync(new Uri(baseAddress, "/_ping"));
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode && body.Trim() == "OK"
                ? null
                : $"{endpoint.Name} endpoint {endpoint.Uri} answered /_ping with {(int)response.StatusCode} '{body.Trim()}'";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException)
        {
            return $"{endpoint.Name} endpoint {endpoint.Uri} does not answer /_ping: {e.Message}";
        }
    }
}
