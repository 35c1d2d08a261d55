using System.CommandLine;

namespace SandboxRunner.Cli;

/// <summary><c>sandboxrun sweep</c>: remove the sandboxes whose runner is gone or whose expiry has passed.</summary>
internal static class SweepCommand
{
    public static Command Create(Option<string?> host)
    {
        var sweep = new Command("sweep", "Remove orphaned sandboxes: owner process gone, or expired. Prints what it removed.") { host };
        sweep.SetAction(async (parse, cancellationToken) =>
        {
            return await Cli.WithOptionsAsync(parse.GetValue(host), async options =>
            {
                await using var sweeper = SandboxRunnerFactory.CreateDockerSweeper(options);
                var report = await sweeper.SweepAsync(cancellationToken).ConfigureAwait(false);
                foreach (var removed in report.Removed)
                {
                    Console.WriteLine($"removed {removed.SandboxId} ({removed.Reason})");
                }

                foreach (var failed in report.Failed)
                {
                    await Console.Error.WriteLineAsync($"failed to remove {failed.SandboxId} ({failed.Reason})").ConfigureAwait(false);
                }

                Console.WriteLine($"{report.Examined} sandboxes examined, {report.Removed.Count} removed, {report.Failed.Count} failed");
                return report.Failed.Count == 0 ? 0 : ExitCodes.InfrastructureError;
            }).ConfigureAwait(false);
        });
        return sweep;
    }
}
