namespace SandboxRunner;

/// <summary>
/// An image could not be made available: it is missing and may not be pulled, or its pull failed.
/// </summary>
public sealed class SandboxImageException : SandboxException
{
    /// <summary>Initializes a new instance of the <see cref="SandboxImageException"/> class.</summary>
    /// <param name="image">The image reference.</param>
    /// <param name="operation">The operation that failed.</param>
    /// <param name="registryMessage">The registry's or engine's message.</param>
    /// <param name="innerException">The underlying fault.</param>
    public SandboxImageException(string image, string operation, string registryMessage, Exception? innerException = null)
        : base($"Image '{image}' is not available ({operation}): {registryMessage}", operation, null, innerException)
    {
        Image = image;
        RegistryMessage = registryMessage;
    }

    /// <summary>Gets the image reference.</summary>
    public string Image { get; }

    /// <summary>Gets the registry's or engine's message.</summary>
    public string RegistryMessage { get; }
}
