namespace SandboxRunner;

/// <summary>
/// The engine could not be reached, or did not answer in time, or speaks an API version the runner
/// does not support.
/// </summary>
public sealed class SandboxEngineUnavailableException : SandboxException
{
    /// <summary>Initializes a new instance of the <see cref="SandboxEngineUnavailableException"/> class.</summary>
    /// <param name="endpoint">The endpoint the runner tried.</param>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying fault.</param>
    public SandboxEngineUnavailableException(string endpoint, string message, Exception? innerException = null)
        : base(message, SandboxOperations.Connect, null, innerException)
    {
        Endpoint = endpoint;
    }

    /// <summary>Gets the endpoint the runner tried.</summary>
    public string Endpoint { get; }
}
