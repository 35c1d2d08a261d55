namespace SandboxRunner;

/// <summary>
/// When the runner pulls an image from its registry.
/// </summary>
public enum ImagePullPolicy
{
    /// <summary>Pull only when the engine does not have the image (the default).</summary>
    IfMissing = 0,

    /// <summary>Pull before every run, so that a moved tag is always followed.</summary>
    Always = 1,

    /// <summary>Never pull; a missing image is an error.</summary>
    Never = 2,
}
