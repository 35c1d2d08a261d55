using System.Diagnostics;

namespace SandboxRunner.IntegrationTests.Infrastructure;

/// <summary>
/// The docker CLI against the engine socket itself (never through the proxy), for setting up and
/// inspecting what the library cannot be asked about: leftovers, images, volumes.
/// </summary>
public static class DockerCli
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    public sealed record Output(int ExitCode, string StandardOutput, string StandardError)
    {
        public IReadOnlyList<string> Lines =>
            StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Runs <c>docker -H &lt;direct&gt; args...</c> and returns what it printed, whatever its exit code.</summary>
    public static Task<Output> RunAsync(params string[] arguments) => RunAsync(arguments, CancellationToken.None);

    /// <summary>Runs <c>docker -H &lt;direct&gt; args...</c> and returns what it printed, whatever its exit code.</summary>
    public static async Task<Output> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("docker")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-H");
        start.ArgumentList.Add(EngineEndpoint.Direct.Uri);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"docker {string.Join(' ', arguments)} did not end within {CommandTimeout}.");
        }

        return new Output(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a command that must succeed and returns its output lines.</summary>
    public static Task<IReadOnlyList<string>> RunCheckedAsync(params string[] arguments) => RunCheckedAsync(arguments, CancellationToken.None);

    /// <summary>Runs a command that must succeed and returns its output lines.</summary>
    public static async Task<IReadOnlyList<string>> RunCheckedAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var output = await RunAsync(arguments, cancellationToken);
        if (output.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker {string.Join(' ', arguments)} failed ({output.ExitCode}): {output.StandardError.Trim()}");
        }

        return output.Lines;
    }

    /// <summary>The ids of every container, running or not, carrying this test run's label.</summary>
    public static Task<IReadOnlyList<string>> ListTestContainersAsync(CancellationToken cancellationToken = default) =>
        RunCheckedAsync(["ps", "-a", "-q", "--no-trunc", "--filter", "label=" + TestRun.LabelFilter], cancellationToken);

    /// <summary>
    /// The names of the volumes no container uses: an anonymous volume left by a sandbox removed without its
    /// volumes shows up here, while the volumes of containers still running elsewhere on the engine do not.
    /// </summary>
    public static async Task<IReadOnlySet<string>> ListDanglingVolumesAsync() =>
        (await RunCheckedAsync("volume", "ls", "-q", "--filter", "dangling=true")).ToHashSet(StringComparer.Ordinal);

    public static async Task<bool> ImageExistsAsync(string image) =>
        (await RunAsync("image", "inspect", "--format", "{{.Id}}", image)).ExitCode == 0;

    public static async Task<string> ImageIdAsync(string image) =>
        (await RunCheckedAsync("image", "inspect", "--format", "{{.Id}}", image)).Single();

    public static async Task<bool> ContainerExistsAsync(string id) =>
        (await RunAsync("container", "inspect", "--format", "{{.Id}}", id)).ExitCode == 0;
}
