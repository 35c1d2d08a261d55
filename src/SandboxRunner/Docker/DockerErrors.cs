using System.Net;
using System.Net.Sockets;
using global::Docker.DotNet;

namespace SandboxRunner.Docker;

/// <summary>Turns what the Docker client throws into the library's typed exceptions.</summary>
internal static class DockerErrors
{
    /// <summary>Whether <paramref name="exception"/> is a fault of the engine or of the connection to it.</summary>
    public static bool IsEngineFault(Exception exception) =>
        exception is DockerApiException or HttpRequestException or IOException or SocketException or TimeoutException;

    /// <summary>Whether the engine answered 404 (the thing does not exist).</summary>
    public static bool IsNotFound(Exception exception) =>
        exception is DockerApiException { StatusCode: HttpStatusCode.NotFound };

    /// <summary>Translates an engine fault; returns <see langword="null"/> for anything else.</summary>
    public static SandboxException? Translate(Exception exception, string operation, string? sandboxId)
    {
        return exception switch
        {
            SandboxException already => already,
            DockerApiException { StatusCode: HttpStatusCode.Forbidden } e =>
                new SandboxAccessDeniedException(operation, sandboxId, ProxyPermissions.For(operation), e),
            DockerApiException e => new SandboxEngineException(operation, sandboxId, (int)e.StatusCode, EngineMessage(e.ResponseBody), e),
            HttpRequestException or IOException or SocketException or TimeoutException =>
                new SandboxEngineException(operation, sandboxId, null, exception.Message, exception),
            _ => null,
        };
    }

    /// <summary>The engine answers <c>{"message":"..."}</c>; a proxy may answer HTML. Keep it short either way.</summary>
    public static string? EngineMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == System.Text.Json.JsonValueKind.String)
            {
                return message.GetString();
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: fall through to the raw text.
        }

        var text = body.Trim();
        return text.Length <= 300 ? text : text[..300] + "…";
    }
}
