namespace SandboxRunner;

/// <summary>
/// The names of the operations a runner performs, as reported by <see cref="SandboxException.Operation"/>,
/// logs and metrics.
/// </summary>
public static class SandboxOperations
{
    /// <summary>Waiting for a slot among the concurrent runs.</summary>
    public const string Admit = "runner.admit";

    /// <summary>Connecting to the engine and agreeing on its API version.</summary>
    public const string Connect = "engine.connect";

    /// <summary>Looking up an image.</summary>
    public const string ImageInspect = "image.inspect";

    /// <summary>Pulling an image from its registry.</summary>
    public const string ImagePull = "image.pull";

    /// <summary>Creating a sandbox.</summary>
    public const string Create = "sandbox.create";

    /// <summary>Placing files in a sandbox.</summary>
    public const string Upload = "sandbox.upload";

    /// <summary>Attaching to a sandbox's input and output.</summary>
    public const string Attach = "sandbox.attach";

    /// <summary>Starting a sandbox.</summary>
    public const string Start = "sandbox.start";

    /// <summary>Waiting for a sandbox's program to end.</summary>
    public const string Wait = "sandbox.wait";

    /// <summary>Reading a sandbox's final state.</summary>
    public const string Inspect = "sandbox.inspect";

    /// <summary>Stopping a sandbox at its deadline.</summary>
    public const string Stop = "sandbox.stop";

    /// <summary>Killing a sandbox.</summary>
    public const string Kill = "sandbox.kill";

    /// <summary>Removing a sandbox.</summary>
    public const string Remove = "sandbox.remove";

    /// <summary>Listing sandboxes.</summary>
    public const string List = "sandbox.list";
}
