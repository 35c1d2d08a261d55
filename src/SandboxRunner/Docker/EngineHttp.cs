using System.Net.Sockets;

namespace SandboxRunner.Docker;

/// <summary>A plain HTTP client for the engine's endpoint, for the few calls made without the Docker client.</summary>
internal static class EngineHttp
{
    public static HttpClient Create(Uri endpoint)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false };
        if (endpoint.Scheme == "unix")
        {
            var path = endpoint.LocalPath;
            handler.ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), token).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        var baseAddress = endpoint.Scheme == "unix" ? new Uri("http://localhost") : new Uri($"http://{endpoint.Authority}");
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }
}
