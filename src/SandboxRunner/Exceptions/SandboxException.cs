namespace SandboxRunner;

/// <summary>
/// The base of every infrastructure fault the runner reports. What the untrusted program does is never
/// an exception: it is a <see cref="SandboxResult"/>.
/// </summary>
public abstract class SandboxException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SandboxException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="operation">The operation that failed, for example <c>container.create</c>.</param>
    /// <param name="sandboxId">The sandbox concerned, if one existed.</param>
    /// <param name="innerException">The underlying fault.</param>
    protected SandboxException(string message, string? operation, string? sandboxId, Exception? innerException)
        : base(message, innerException)
    {
        Operation = operation;
        SandboxId = sandboxId;
    }

    /// <summary>Gets the operation that failed (see <see cref="SandboxOperations"/>), if known.</summary>
    public string? Operation { get; }

    /// <summary>Gets the identifier of the sandbox concerned, if one existed.</summary>
    public string? SandboxId { get; }
}
