using System.Globalization;
using System.Text.RegularExpressions;

namespace SandboxRunner.IntegrationTests.Proxy;

/// <summary>One request in a proxy instance's access log.</summary>
/// <param name="At">When the proxy accepted it.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path without the API version prefix and without the query.</param>
/// <param name="Status">The status the proxy returned (403 when it denied the request).</param>
public sealed partial record ProxyRequest(DateTime At, string Method, string Path, int Status)
{
    /// <summary>Gets the path with container ids replaced by <c>{id}</c>, so that the calls of different runs compare equal.</summary>
    public string Call => $"{Method} {ContainerId().Replace(Path, "/containers/{id}")}";

    /// <summary>Parses an haproxy <c>option httplog</c> line; <see langword="null"/> for any other line.</summary>
    public static ProxyRequest? TryParse(string line)
    {
        var match = LogLine().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var path = ApiVersion().Replace(match.Groups["path"].Value, string.Empty);
        var query = path.IndexOf('?', StringComparison.Ordinal);
        return new ProxyRequest(
            DateTime.ParseExact(match.Groups["at"].Value, "dd/MMM/yyyy:HH:mm:ss.fff", CultureInfo.InvariantCulture),
            match.Groups["method"].Value,
            query < 0 ? path : path[..query],
            int.Parse(match.Groups["status"].Value, CultureInfo.InvariantCulture));
    }

    // 127.0.0.1:35410 [04/Dec/2026:21:59:04.293] docker_api docker_engine/engine 0/0/0/0/0 200 4927 - - ---- 1/1/0/0/0 0/0 "GET /v1.41/containers/x/json HTTP/1.1"
    [GeneratedRegex("""\[(?<at>[^\]]+)\] \S+ \S+ \S+ (?<status>\d{3}) .*"(?<method>[A-Z]+) (?<path>\S+) HTTP/[0-9.]+"$""")]
    private static partial Regex LogLine();

    [GeneratedRegex("^/v[0-9]+\\.[0-9]+")]
    private static partial Regex ApiVersion();

    [GeneratedRegex("/containers/(?!create$|json$)[^/]+")]
    private static partial Regex ContainerId();
}
