using System.Diagnostics;

namespace SandboxRunner.IntegrationTests.Proxy;

/// <summary>Where the repository is, and the command line tool <c>sandboxrun</c> built from it (Release).</summary>
public static class RepositoryLayout
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SandboxRunner.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No SandboxRunner.sln above {TestContext.CurrentContext.TestDirectory}.");
    });

    private static readonly SemaphoreSlim BuildGate = new(1, 1);
    private static bool _built;

    /// <summary>Gets the folder holding SandboxRunner.sln.</summary>
    public static string Root => RootPath.Value;

    /// <summary>Gets the path of <c>sandboxrun.dll</c> (Release).</summary>
    public static string CliDll => Path.Combine(Root, "src", "SandboxRunner.Cli", "bin", "Release", "net10.0", "sandboxrun.dll");

    /// <summary>
    /// Builds the command line tool once per test process (an incremental build when it is up to date), so that
    /// the tests never run a stale copy.
    /// </summary>
    public static async Task EnsureCliBuiltAsync(CancellationToken cancellationToken = default)
    {
        await BuildGate.WaitAsync(cancellationToken);
        try
        {
            if (_built)
            {
                return;
            }

            var project = Path.Combine(Root, "src", "SandboxRunner.Cli", "SandboxRunner.Cli.csproj");

            // The restore is shared with the Debug builds running alongside; restore only when it is missing.
            var result = await DotnetAsync(["build", project, "-c", "Release", "--no-restore", "-nologo", "-v", "q"], cancellationToken);
            if (result.ExitCode != 0)
            {
                result = await DotnetAsync(["build", project, "-c", "Release", "-nologo", "-v", "q"], cancellationToken);
            }

            if (result.ExitCode != 0 || !File.Exists(CliDll))
            {
                throw new InvalidOperationException($"dotnet build of the CLI failed ({result.ExitCode}): {result.Output}");
            }

            _built = true;
        }
        finally
        {
            BuildGate.Release();
        }
    }

    private static async Task<(int ExitCode, string Output)> DotnetAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
