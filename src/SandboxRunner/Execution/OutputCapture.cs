namespace SandboxRunner.Execution;

/// <summary>What a program wrote to its two output streams, each capped.</summary>
internal sealed class OutputCapture(int capPerStream)
{
    public CappedBuffer StandardOutput { get; } = new(capPerStream);

    public CappedBuffer StandardError { get; } = new(capPerStream);

    public bool Truncated => StandardOutput.Truncated || StandardError.Truncated;
}
