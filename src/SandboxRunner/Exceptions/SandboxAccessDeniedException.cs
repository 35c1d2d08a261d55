namespace SandboxRunner;

/// <summary>
/// An operation was refused by an access-controlling proxy in front of the engine (HTTP 403).
/// </summary>
public sealed class SandboxAccessDeniedException : SandboxException
{
    /// <summary>Initializes a new instance of the <see cref="SandboxAccessDeniedException"/> class.</summary>
    /// <param name="operation">The operation that was refused.</param>
    /// <param name="sandboxId">The sandbox concerned, if one existed.</param>
    /// <param name="requiredPermissions">The proxy permissions that allow the operation, for example <c>CONTAINERS</c> and <c>POST</c>.</param>
    /// <param name="innerException">The underlying fault.</param>
    public SandboxAccessDeniedException(string operation, string? sandboxId, IReadOnlyList<string> requiredPermissions, Exception? innerException = null)
        : base(BuildMessage(operation, requiredPermissions), operation, sandboxId, innerException)
    {
        RequiredPermissions = requiredPermissions;
    }

    /// <summary>Gets the proxy permissions that allow the operation; every one of them must be enabled.</summary>
    public IReadOnlyList<string> RequiredPermissions { get; }

    private static string BuildMessage(string operation, IReadOnlyList<string> requiredPermissions)
    {
        ArgumentNullException.ThrowIfNull(requiredPermissions);
        return $"Operation {operation} was denied by the proxy in front of the engine (403). Enable {string.Join(" and ", requiredPermissions.Select(p => p + "=1"))} on the proxy.";
    }
}
