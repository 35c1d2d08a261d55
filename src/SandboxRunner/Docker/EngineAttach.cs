using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using global::Docker.DotNet;

namespace SandboxRunner.Docker;

/// <summary>
/// Attaches to a sandbox's streams with one request, <c>POST /containers/{id}/attach</c> upgraded to a raw
/// connection of its own (the way the docker CLI attaches; the upgrade is what lets stdin through a socket
/// proxy). Docker.DotNet's attach first inspects the container to learn whether it has a TTY; the runner
/// created it without one, so that is a wasted engine call on every run.
/// </summary>
internal static class EngineAttach
{
    private const int MaxHeadBytes = 16 * 1024;
    private const int MaxErrorBodyBytes = 64 * 1024;
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

    /// <summary>
    /// Attaches to stdout and stderr (and stdin when <paramref name="stdin"/>) of <paramref name="sandboxId"/>.
    /// An HTTP error is thrown as the Docker client would throw it (<see cref="DockerApiException"/>), so the
    /// runner translates it like any other engine answer. Connecting and the answer must take less than
    /// <paramref name="answerTimeout"/> (a <see cref="TimeoutException"/> otherwise); the stream, once upgraded,
    /// has no time limit of its own.
    /// </summary>
    public static async Task<MultiplexedStream> AttachAsync(
        Uri endpoint, Version apiVersion, string sandboxId, bool stdin, TimeSpan answerTimeout, CancellationToken cancellationToken)
    {
        using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        answer.CancelAfter(answerTimeout);
        try
        {
            return await AttachOnceAsync(endpoint, apiVersion, sandboxId, stdin, answer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (answer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(
                CultureInfo.InvariantCulture, $"The engine at {endpoint} did not answer the attach within {answerTimeout.TotalSeconds:0.#} s."));
        }
    }

    private static async Task<MultiplexedStream> AttachOnceAsync(Uri endpoint, Version apiVersion, string sandboxId, bool stdin, CancellationToken cancellationToken)
    {
        var unix = endpoint.Scheme == "unix";
        var socket = unix
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        NetworkStream? stream = null;
        try
        {
            EndPoint target = unix
                ? new UnixDomainSocketEndPoint(endpoint.LocalPath)
                : new DnsEndPoint(endpoint.Host, endpoint.Port);
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);

            var request = string.Create(
                CultureInfo.InvariantCulture,
                $"POST /v{apiVersion.Major}.{apiVersion.Minor}/containers/{Uri.EscapeDataString(sandboxId)}/attach?stream=1&stdin={(stdin ? 1 : 0)}&stdout=1&stderr=1 HTTP/1.1\r\n" +
                $"Host: {(unix ? "docker" : endpoint.Authority)}\r\nUser-Agent: SandboxRunner\r\nContent-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken).ConfigureAwait(false);

            var (status, headers, rest) = await ReadHeadAsync(stream, cancellationToken).ConfigureAwait(false);
            if (status == (int)HttpStatusCode.SwitchingProtocols)
            {
                return new MultiplexedStream(new UpgradedStream(socket, stream, rest), multiplexed: true);
            }

            if (status is >= 200 and < 300)
            {
                // An engine attaches without upgrading only when not asked to; a proxy that drops the Upgrade
                // header leaves a connection that cannot be half-closed, so stdin could never end.
                throw new IOException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The attach was answered {status} instead of 101 Switching Protocols: something between the runner and the engine does not pass HTTP upgrades, which stdin needs."));
            }

            var body = await ReadBodyAsync(stream, headers, rest, cancellationToken).ConfigureAwait(false);
            throw new DockerApiException((HttpStatusCode)status, body);
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>Reads the status line and headers; returns the status, the header block and the bytes read past it.</summary>
    private static async Task<(int Status, string Headers, ReadOnlyMemory<byte> Received)> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var length = 0;
        while (true)
        {
            var end = buffer.AsSpan(0, length).IndexOf(EndOfHead);
            if (end >= 0)
            {
                var head = Encoding.ASCII.GetString(buffer, 0, end);
                var statusLine = head.Split("\r\n", 2)[0];
                var parts = statusLine.Split(' ', 3);
                if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
                    || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
                {
                    throw new IOException($"The engine answered the attach with a malformed status line: '{statusLine}'.");
                }

                var bodyStart = end + EndOfHead.Length;
                return (status, head, buffer.AsMemory(bodyStart, length - bodyStart));
            }

            if (length == buffer.Length)
            {
                if (buffer.Length >= MaxHeadBytes)
                {
                    throw new IOException($"The engine's answer to the attach has a head longer than {MaxHeadBytes} bytes.");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("The engine closed the connection before answering the attach.");
            }

            length += read;
        }
    }

    /// <summary>
    /// The body of an error answer, for its message: as long as its <c>Content-Length</c> says (capped), or what
    /// arrived with the head when it gives none.
    /// </summary>
    private static async Task<string> ReadBodyAsync(NetworkStream stream, string headers, ReadOnlyMemory<byte> received, CancellationToken cancellationToken)
    {
        var declared = headers.Split("\r\n")
            .Select(line => line.Split(':', 2))
            .Where(pair => pair.Length == 2 && pair[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(pair => int.TryParse(pair[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1)
            .FirstOrDefault(-1);
        var length = Math.Min(Math.Max(declared, received.Length), MaxErrorBodyBytes);
        var body = new byte[length];
        var filled = Math.Min(received.Length, length);
        received.Span[..filled].CopyTo(body);
        while (filled < length)
        {
            var read = await stream.ReadAsync(body.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return Encoding.UTF8.GetString(body, 0, filled);
    }
}
