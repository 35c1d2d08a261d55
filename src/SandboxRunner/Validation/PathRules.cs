namespace SandboxRunner.Validation;

/// <summary>Rules for paths inside a sandbox: plain, normalised, printable.</summary>
internal static class PathRules
{
    private const int MaxPathLength = 1024;
    private const int MaxSegmentLength = 255;

    /// <summary>A relative path whose every segment is a plain name: it cannot leave its root.</summary>
    public static string ValidateRelative(string? path, string field)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new ArgumentException("The path is empty.", field);
        }

        if (path[0] == '/' || path[0] == '~')
        {
            throw new ArgumentException($"The path '{Printable(path)}' must be relative to the workspace.", field);
        }

        CheckSegments(path, path, field);
        return path;
    }

    /// <summary>An absolute, normalised path (no <c>.</c>, <c>..</c> or empty segments).</summary>
    public static string ValidateAbsolute(string? path, string field)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            throw new ArgumentException($"The path '{Printable(path ?? string.Empty)}' must be absolute.", field);
        }

        if (path == "/")
        {
            return path;
        }

        CheckSegments(path[1..], path, field);
        return path;
    }

    private static void CheckSegments(string relative, string path, string field)
    {
        if (path.Length > MaxPathLength)
        {
            throw new ArgumentException($"The path is {path.Length} characters long; at most {MaxPathLength} are allowed.", field);
        }

        foreach (var c in path)
        {
            if (char.IsControl(c) || c == '\\')
            {
                throw new ArgumentException($"The path '{Printable(path)}' holds a control character or a backslash.", field);
            }
        }

        foreach (var segment in relative.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                throw new ArgumentException($"The path '{Printable(path)}' has an empty, '.' or '..' segment.", field);
            }

            if (System.Text.Encoding.UTF8.GetByteCount(segment) > MaxSegmentLength)
            {
                throw new ArgumentException($"A segment of the path '{Printable(path)}' is longer than {MaxSegmentLength} bytes.", field);
            }
        }
    }

    private static string Printable(string path) =>
        string.Concat(path.Select(c => char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) : c.ToString()));
}
