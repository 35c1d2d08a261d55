using System.CommandLine;
using System.Text.Json;

namespace SandboxRunner.Cli;

/// <summary>
/// <c>sandboxrun doctor</c>: probe every operation a runner needs and print a table of what is allowed,
/// with the permission to grant for what is not. Exits 0 only when everything is allowed.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(Option<string?> host)
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var doctor = new Command("doctor", "Check that the engine (or socket proxy) allows every operation a sandbox run needs.") { host, json };
        doctor.SetAction(async (parse, cancellationToken) =>
        {
            return await Cli.WithOptionsAsync(parse.GetValue(host), async options =>
            {
                await using var probe = SandboxRunnerFactory.CreateDockerAccessProbe(options);
                var report = await probe.ProbeAsync(cancellationToken).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    await WriteJsonAsync(report).ConfigureAwait(false);
                }
                else
                {
                    WriteTable(report);
                }

                return report.AllAllowed ? 0 : 1;
            }).ConfigureAwait(false);
        });
        return doctor;
    }

    private static void WriteTable(SandboxAccessReport report)
    {
        Console.WriteLine($"endpoint:    {report.Endpoint}");
        Console.WriteLine($"api version: {report.ApiVersion ?? "unknown"}");
        Console.WriteLine();
        Console.WriteLine($"{"operation",-17} {"verdict",-8} {"needs",-18} detail");
        foreach (var check in report.Checks)
        {
            Console.WriteLine($"{check.Operation,-17} {(check.Allowed ? "allowed" : "DENIED"),-8} {string.Join("+", check.RequiredPermissions),-18} {check.Detail}");
        }

        Console.WriteLine();
        if (report.AllAllowed)
        {
            Console.WriteLine("Every operation a sandbox run needs is allowed.");
        }
        else
        {
            Console.WriteLine($"Some operations are denied: grant {string.Join(" ", report.MissingPermissions.Select(p => p + "=1"))} on the proxy.");
        }
    }

    private static async Task WriteJsonAsync(SandboxAccessReport report)
    {
        using var stdout = Console.OpenStandardOutput();
        await using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("endpoint", report.Endpoint);
        writer.WriteString("apiVersion", report.ApiVersion);
        writer.WriteBoolean("allAllowed", report.AllAllowed);
        WriteStrings(writer, "missingPermissions", report.MissingPermissions);
        writer.WriteStartArray("checks");
        foreach (var check in report.Checks)
        {
            writer.WriteStartObject();
            writer.WriteString("operation", check.Operation);
            writer.WriteBoolean("allowed", check.Allowed);
            WriteStrings(writer, "requiredPermissions", check.RequiredPermissions);
            writer.WriteString("detail", check.Detail);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync().ConfigureAwait(false);
        await stdout.WriteAsync("\n"u8.ToArray()).ConfigureAwait(false);
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
