namespace SandboxRunner.Tests.Fakes;

/// <summary>The names under which <see cref="FakeDockerClient"/> logs calls.</summary>
internal static class EngineOps
{
    public const string ImageInspect = "image.inspect";
    public const string ImagePull = "image.pull";
    public const string Create = "container.create";
    public const string Upload = "container.upload";
    public const string Attach = "container.attach";
    public const string Start = "container.start";
    public const string Wait = "container.wait";
    public const string Inspect = "container.inspect";
    public const string Stop = "container.stop";
    public const string Kill = "container.kill";
    public const string Remove = "container.remove";
}
