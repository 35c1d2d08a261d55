namespace SandboxRunner;

/// <summary>
/// A file placed in the sandbox's workspace before the program starts.
/// </summary>
/// <param name="Path">
/// The path relative to the workspace, with <c>/</c> as separator (for example <c>src/main.py</c>).
/// Absolute paths, <c>..</c> and <c>.</c> segments, empty segments and control characters are rejected.
/// </param>
/// <param name="Content">The bytes of the file.</param>
/// <param name="Executable">Whether the file gets execute permission (mode 0755 instead of 0644).</param>
public sealed record SandboxFile(string Path, ReadOnlyMemory<byte> Content, bool Executable = false)
{
    /// <summary>Creates a file from UTF-8 text.</summary>
    /// <param name="path">The path relative to the workspace.</param>
    /// <param name="text">The text, stored as UTF-8 without a byte order mark.</param>
    /// <param name="executable">Whether the file gets execute permission.</param>
    /// <returns>The file.</returns>
    public static SandboxFile FromText(string path, string text, bool executable = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new SandboxFile(path, System.Text.Encoding.UTF8.GetBytes(text), executable);
    }
}
