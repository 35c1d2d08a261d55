namespace SandboxRunner;

/// <summary>
/// The engine answered an operation with an error, or the connection failed in the middle of it.
/// </summary>
public sealed class SandboxEngineException : SandboxException
{
    /// <summary>Initializes a new instance of the <see cref="SandboxEngineException"/> class.</summary>
    /// <param name="operation">The operation that failed.</param>
    /// <param name="sandboxId">The sandbox concerned, if one existed.</param>
    /// <param name="statusCode">The engine's HTTP status code, if it answered.</param>
    /// <param name="engineMessage">The engine's message, if it answered.</param>
    /// <param name="innerException">The underlying fault.</param>
    public SandboxEngineException(string operation, string? sandboxId, int? statusCode, string? engineMessage, Exception? innerException = null)
        : base(BuildMessage(operation, sandboxId, statusCode, engineMessage), operation, sandboxId, innerException)
    {
        StatusCode = statusCode;
        EngineMessage = engineMessage;
    }

    /// <summary>Gets the engine's HTTP status code, or <see langword="null"/> when the connection failed.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets the engine's own message, if it gave one.</summary>
    public string? EngineMessage { get; }

    private static string BuildMessage(string operation, string? sandboxId, int? statusCode, string? engineMessage)
    {
        var target = sandboxId is null ? string.Empty : $" for sandbox {sandboxId}";
        var status = statusCode is null ? "the connection to the engine failed" : $"the engine answered {statusCode}";
        var detail = string.IsNullOrWhiteSpace(engineMessage) ? string.Empty : $": {engineMessage.Trim()}";
        return $"Operation {operation}{target} failed: {status}{detail}";
    }
}
