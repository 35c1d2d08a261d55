using System.Diagnostics;
using System.Globalization;
using SandboxRunner.Docker;

namespace SandboxRunner.Sweeping;

/// <summary>
/// Decides from its labels whether a sandbox is an orphan: past its expiry, or owned by a process on this
/// host that no longer exists (a process id reused by another process counts as gone: the start time
/// differs). A sandbox of another host is judged by its expiry alone.
/// </summary>
internal static class OrphanPolicy
{
    public const string OwnerGone = "owner-gone";
    public const string Expired = "expired";

    /// <summary>How far a process's start time may differ from its label (the label has whole seconds).</summary>
    private const long StartToleranceSeconds = 2;

    public static string? Judge(IDictionary<string, string>? labels, DateTimeOffset now, Func<int, long?> processStartTime)
    {
        if (labels is null)
        {
            return null;
        }

        if (TryLong(labels, SandboxLabels.Expires, out var expires) && expires < now.ToUnixTimeSeconds())
        {
            return Expired;
        }

        if (labels.TryGetValue(SandboxLabels.OwnerHost, out var host)
            && string.Equals(host, Environment.MachineName, StringComparison.Ordinal)
            && TryLong(labels, SandboxLabels.OwnerPid, out var pid)
            && TryLong(labels, SandboxLabels.OwnerStarted, out var started))
        {
            var actual = pid is > 0 and <= int.MaxValue ? processStartTime((int)pid) : null;
            if (actual is null || Math.Abs(actual.Value - started) > StartToleranceSeconds)
            {
                return OwnerGone;
            }
        }

        return null;
    }

    /// <summary>The start time (Unix seconds) of a process on this host, or <see langword="null"/> if it does not exist.</summary>
    public static long? LocalProcessStartTime(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero).ToUnixTimeSeconds();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static bool TryLong(IDictionary<string, string> labels, string key, out long value)
    {
        value = 0;
        return labels.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }
}
