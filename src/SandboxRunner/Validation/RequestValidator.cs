using System.Text;

namespace SandboxRunner.Validation;

/// <summary>
/// Checks a <see cref="SandboxRequest"/> against the options and turns it into a <see cref="RunPlan"/>.
/// Every error is an <see cref="ArgumentException"/> whose parameter name is the request's field.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly", Justification = "The parameter name is the request field at fault, such as request.Command, as the contract promises.")]
internal static class RequestValidator
{
    /// <summary>Linux refuses to exec when arguments plus environment exceed ARG_MAX (2 MiB); stay well below.</summary>
    private const int MaxArgumentBytes = 1024 * 1024;

    public static RunPlan Validate(SandboxRequest request, SandboxRunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);

        var image = ValidateImage(request.Image ?? options.DefaultImage, request.Image is null);
        var command = ValidateCommand(request.Command);
        var environment = ValidateEnvironment(request.Environment);
        CheckArgumentSize(command, environment);
        var limits = LimitsValidator.Resolve(request.Limits, options.Limits);
        var workingDirectory = request.WorkingDirectory is null
            ? SandboxPaths.Workspace
            : PathRules.ValidateAbsolute(request.WorkingDirectory, "request.WorkingDirectory");
        var files = ValidateFiles(request.Files, limits.WorkspaceSizeBytes);
        var timeout = ValidateTimeout(request.Timeout ?? options.DefaultTimeout, options.MaxTimeout);

        return new RunPlan(image, command, environment, workingDirectory, files, request.StandardInput, timeout, limits);
    }

    private static ImageReference ValidateImage(string? image, bool fromOptions)
    {
        if (image is null)
        {
            throw new ArgumentException(
                "No image: set request.Image, or SandboxRunnerOptions.DefaultImage for every request.", "request.Image");
        }

        if (!ImageReference.TryParse(image, out var reference))
        {
            var source = fromOptions ? " (from SandboxRunnerOptions.DefaultImage)" : string.Empty;
            throw new ArgumentException(
                $"'{image}'{source} is not a valid image reference: expected [registry/]repository[:tag][@digest] with a lower-case repository.", "request.Image");
        }

        return reference!;
    }

    private static string[] ValidateCommand(IReadOnlyList<string>? command)
    {
        if (command is null || command.Count == 0)
        {
            throw new ArgumentException("The command is empty: give the program and its arguments.", "request.Command");
        }

        var result = new string[command.Count];
        for (var i = 0; i < command.Count; i++)
        {
            var argument = command[i];
            if (argument is null)
            {
                throw new ArgumentException($"Argument {i} of the command is null.", "request.Command");
            }

            if (argument.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Argument {i} of the command holds a NUL character.", "request.Command");
            }

            result[i] = argument;
        }

        if (string.IsNullOrWhiteSpace(result[0]))
        {
            throw new ArgumentException("The program (the command's first element) is empty.", "request.Command");
        }

        return result;
    }

    private static string[] ValidateEnvironment(IReadOnlyDictionary<string, string>? environment)
    {
        if (environment is null || environment.Count == 0)
        {
            return [];
        }

        var result = new List<string>(environment.Count);
        foreach (var (name, value) in environment.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrEmpty(name) || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Environment variable name '{name}' is invalid: it must be non-empty and hold no '=' or NUL.", "request.Environment");
            }

            if (value is null || value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The value of environment variable '{name}' is null or holds a NUL character.", "request.Environment");
            }

            result.Add(name + "=" + value);
        }

        return [.. result];
    }

    private static void CheckArgumentSize(string[] command, string[] environment)
    {
        long total = 0;
        foreach (var item in command.Concat(environment))
        {
            total += Encoding.UTF8.GetByteCount(item) + 1;
        }

        if (total > MaxArgumentBytes)
        {
            throw new ArgumentException(
                $"The command and environment together take {total} bytes; at most {MaxArgumentBytes} are allowed. Pass large data as a file or on standard input.",
                "request.Command");
        }
    }

    private static SandboxFile[] ValidateFiles(IReadOnlyList<SandboxFile>? files, long workspaceSize)
    {
        if (files is null || files.Count == 0)
        {
            return [];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var directories = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        var result = new SandboxFile[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            var field = $"request.Files[{i}]";
            var file = files[i] ?? throw new ArgumentException($"File {i} is null.", field);
            var path = PathRules.ValidateRelative(file.Path, field + ".Path");
            if (!seen.Add(path) || directories.Contains(path))
            {
                throw new ArgumentException($"File path '{path}' is given twice, or also as a directory of another file.", field + ".Path");
            }

            for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                var directory = path[..slash];
                if (seen.Contains(directory))
                {
                    throw new ArgumentException($"File path '{path}' needs '{directory}' to be a directory, but it is also a file.", field + ".Path");
                }

                directories.Add(directory);
            }

            total += file.Content.Length;
            result[i] = file with { Path = path };
        }

        if (total > workspaceSize)
        {
            throw new ArgumentException(
                $"The files take {total} bytes, more than the workspace's {workspaceSize} bytes (Limits.WorkspaceSizeBytes).", "request.Files");
        }

        return result;
    }

    private static TimeSpan ValidateTimeout(TimeSpan timeout, TimeSpan maxTimeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException("request.Timeout", timeout, "The timeout must be positive.");
        }

        if (timeout > maxTimeout)
        {
            throw new ArgumentOutOfRangeException("request.Timeout", timeout, $"The timeout may be at most {maxTimeout} (SandboxRunnerOptions.MaxTimeout).");
        }

        return timeout;
    }
}
