using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace SandboxRunner.Cli;

/// <summary><c>sandboxrun run [options] -- COMMAND [ARGS...]</c>: one sandboxed run, its output, its exit code.</summary>
internal static class RunCommand
{
    public static Command Create(Option<string?> host)
    {
        var image = new Option<string?>("--image") { Description = "Image to run (default: SANDBOXRUNNER_IMAGE)." };
        var timeout = new Option<double?>("--timeout") { Description = "Wall-clock deadline in seconds (default 30)." };
        var memory = new Option<long?>("--memory") { Description = "Memory limit in MiB (default 256)." };
        var stdin = new Option<FileInfo?>("--stdin") { Description = "File whose bytes go to the program's standard input." };
        var env = new Option<string[]>("--env", "-e") { Description = "Environment variable NAME=VALUE (repeatable).", AllowMultipleArgumentsPerToken = false };
        var file = new Option<string[]>("--file", "-f") { Description = "Place a local file in the workspace: SANDBOX_PATH=LOCAL_FILE (repeatable)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the program's output." };
        var command = new Argument<string[]>("command") { Description = "The program and its arguments, after --.", Arity = ArgumentArity.OneOrMore };

        var run = new Command("run", "Run a program in a throwaway, hardened sandbox and print its output.")
        {
            host, image, timeout, memory, stdin, env, file, json, command,
        };
        run.SetAction(async (parse, cancellationToken) =>
        {
            SandboxRequest request;
            try
            {
                request = new SandboxRequest
                {
                    Command = parse.GetValue(command) ?? [],
                    Image = parse.GetValue(image) ?? Environment.GetEnvironmentVariable("SANDBOXRUNNER_IMAGE"),
                    Timeout = parse.GetValue(timeout) is double seconds ? TimeSpan.FromSeconds(seconds) : null,
                    Limits = parse.GetValue(memory) is long mib ? new SandboxLimits { MemoryBytes = mib * 1024 * 1024 } : null,
                    StandardInput = parse.GetValue(stdin) is { } input ? await File.ReadAllBytesAsync(input.FullName, cancellationToken).ConfigureAwait(false) : default,
                    Environment = ParsePairs(parse.GetValue(env), "--env"),
                    Files = [.. ParsePairs(parse.GetValue(file), "--file").Select(p => new SandboxFile(p.Key, File.ReadAllBytes(p.Value)))],
                };
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync("sandboxrun: " + e.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            return await Cli.WithRunnerAsync(parse.GetValue(host), async runner =>
            {
                var result = await runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    await WriteJsonAsync(result).ConfigureAwait(false);
                }
                else
                {
                    await WriteTextAsync(result).ConfigureAwait(false);
                }

                return ExitCodes.For(result);
            }).ConfigureAwait(false);
        });
        return run;
    }

    private static Dictionary<string, string> ParsePairs(string[]? values, string option)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"{option} '{value}' is not NAME=VALUE.");
            }

            pairs[value[..equals]] = value[(equals + 1)..];
        }

        return pairs;
    }

    private static async Task WriteTextAsync(SandboxResult result)
    {
        using (var stdout = Console.OpenStandardOutput())
        {
            await stdout.WriteAsync(result.StandardOutput).ConfigureAwait(false);
        }

        using (var stderr = Console.OpenStandardError())
        {
            await stderr.WriteAsync(result.StandardError).ConfigureAwait(false);
        }

        if (result.Status != SandboxStatus.Completed)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"sandboxrun: {result.Status} (exit code {result.ExitCode})")).ConfigureAwait(false);
        }
    }

    private static async Task WriteJsonAsync(SandboxResult result)
    {
        using var stdout = Console.OpenStandardOutput();
        await using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("status", JsonNamingPolicy.CamelCase.ConvertName(result.Status.ToString()));
        writer.WriteNumber("exitCode", result.ExitCode);
        writer.WriteString("termination", JsonNamingPolicy.CamelCase.ConvertName(result.Termination.ToString()));
        writer.WriteString("stdout", result.StandardOutputText);
        writer.WriteString("stderr", result.StandardErrorText);
        writer.WriteBoolean("stdoutTruncated", result.StandardOutputTruncated);
        writer.WriteBoolean("stderrTruncated", result.StandardErrorTruncated);
        writer.WriteNumber("durationMs", Math.Round(result.Timings.Total.TotalMilliseconds, 1));
        writer.WriteStartObject("timingsMs");
        writer.WriteNumber("image", Math.Round(result.Timings.Image.TotalMilliseconds, 1));
        writer.WriteNumber("create", Math.Round(result.Timings.Create.TotalMilliseconds, 1));
        writer.WriteNumber("start", Math.Round(result.Timings.Start.TotalMilliseconds, 1));
        writer.WriteNumber("run", Math.Round(result.Timings.Run.TotalMilliseconds, 1));
        writer.WriteNumber("cleanup", Math.Round(result.Timings.Cleanup.TotalMilliseconds, 1));
        writer.WriteEndObject();
        writer.WriteString("sandboxId", result.SandboxId);
        writer.WriteString("imageId", result.ImageId);
        writer.WriteBoolean("cleanupFailed", result.CleanupFailed);
        writer.WriteEndObject();
        await writer.FlushAsync().ConfigureAwait(false);
        await stdout.WriteAsync("\n"u8.ToArray()).ConfigureAwait(false);
    }
}
