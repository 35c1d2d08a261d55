using System.Diagnostics;
using System.Globalization;

namespace SandboxRunner.Docker;

/// <summary>
/// The labels that mark a sandbox as the library's, name its owner and say when it may be swept.
/// </summary>
internal static class SandboxLabels
{
    public const string Managed = "sandboxrunner.managed";
    public const string RunId = "sandboxrunner.run-id";
    public const string OwnerHost = "sandboxrunner.owner.host";
    public const string OwnerPid = "sandboxrunner.owner.pid";
    public const string OwnerStarted = "sandboxrunner.owner.started";
    public const string Created = "sandboxrunner.created";
    public const string Expires = "sandboxrunner.expires";

    private static readonly Lazy<(string Host, string Pid, string Started)> Owner = new(() =>
    {
        using var process = Process.GetCurrentProcess();
        var started = new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero).ToUnixTimeSeconds();
        return (Environment.MachineName, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), started.ToString(CultureInfo.InvariantCulture));
    });

    public static Dictionary<string, string> Create(string runId, DateTimeOffset created, DateTimeOffset expires, IDictionary<string, string> extra)
    {
        var owner = Owner.Value;
        var labels = new Dictionary<string, string>(extra.Count + 7, StringComparer.Ordinal);
        foreach (var (key, value) in extra)
        {
            labels[key] = value;
        }

        labels[Managed] = "true";
        labels[RunId] = runId;
        labels[OwnerHost] = owner.Host;
        labels[OwnerPid] = owner.Pid;
        labels[OwnerStarted] = owner.Started;
        labels[Created] = created.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        labels[Expires] = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return labels;
    }
}
