namespace SandboxRunner;

/// <summary>
/// What to run in a sandbox: a program, its input and its limits.
/// </summary>
/// <remarks>
/// A request is validated as a whole before anything is created; an invalid one fails with an
/// <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> names the field
/// (for example <c>request.Command</c>).
/// </remarks>
public sealed record SandboxRequest
{
    /// <summary>
    /// Gets the program and its arguments, exactly as the program receives them (no shell is involved;
    /// the image's entry point is not used). Must hold at least one non-empty element.
    /// </summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>
    /// Gets the image reference (for example <c>registry.example:5000/team/python:3.11</c> or a digest
    /// reference), or <see langword="null"/> for <see cref="SandboxRunnerOptions.DefaultImage"/>.
    /// </summary>
    public string? Image { get; init; }

    /// <summary>
    /// Gets the bytes written to the program's standard input, which is then closed. Empty (the default)
    /// means the program reads end-of-file at once.
    /// </summary>
    public ReadOnlyMemory<byte> StandardInput { get; init; }

    /// <summary>Gets the environment variables of the program. Names must be non-empty and hold no <c>=</c>.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = EmptyEnvironment;

    /// <summary>
    /// Gets the absolute working directory, or <see langword="null"/> for the workspace
    /// (<see cref="SandboxPaths.Workspace"/>), which is writable and holds <see cref="Files"/>.
    /// </summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Gets the files placed in the workspace before the program starts.</summary>
    public IReadOnlyList<SandboxFile> Files { get; init; } = [];

    /// <summary>
    /// Gets the wall-clock time the program may run, from its start, or <see langword="null"/> for
    /// <see cref="SandboxRunnerOptions.DefaultTimeout"/>. Must be positive and at most
    /// <see cref="SandboxRunnerOptions.MaxTimeout"/>.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Gets limits that tighten the configured ceilings for this run, or <see langword="null"/>.</summary>
    public SandboxLimits? Limits { get; init; }

    private static readonly IReadOnlyDictionary<string, string> EmptyEnvironment =
        new Dictionary<string, string>(0, StringComparer.Ordinal);
}
