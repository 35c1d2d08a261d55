using System.Globalization;
using System.Net;
using System.Text;

namespace SandboxRunner.Docker;

/// <summary>
/// Probes each operation with a request the engine is sure to refuse on its own merits: an object that
/// does not exist (404), or an invalid name or reference (400). Any answer from the engine means the
/// request got through; 403 means a proxy stopped it.
/// </summary>
internal sealed class DockerAccessProbe(Uri endpoint, TimeSpan timeout) : ISandboxAccessProbe
{
    /// <summary>A name no container or image of the library ever has (its names start with sandboxrunner-).</summary>
    private const string Missing = "sandboxrunner-preflight-missing-0";

    private static readonly (string Operation, HttpMethod Method, string Path)[] Probes =
    [
        (SandboxOperations.ImageInspect, HttpMethod.Get, $"/images/{Missing}/json"),
        (SandboxOperations.ImagePull, HttpMethod.Post, "/images/create?fromImage=INVALID-REFERENCE&tag=x"),
        (SandboxOperations.List, HttpMethod.Get, "/containers/json?limit=1&filters=" + Uri.EscapeDataString("{\"label\":[\"sandboxrunner.preflight=none\"]}")),
        (SandboxOperations.Create, HttpMethod.Post, "/containers/create?name=%21invalid"),
        (SandboxOperations.Upload, HttpMethod.Put, $"/containers/{Missing}/archive?path=/"),
        (SandboxOperations.Attach, HttpMethod.Post, $"/containers/{Missing}/attach?stream=1&stdout=1"),
        (SandboxOperations.Start, HttpMethod.Post, $"/containers/{Missing}/start"),
        (SandboxOperations.Wait, HttpMethod.Post, $"/containers/{Missing}/wait"),
        (SandboxOperations.Inspect, HttpMethod.Get, $"/containers/{Missing}/json"),
        (SandboxOperations.Stop, HttpMethod.Post, $"/containers/{Missing}/stop"),
        (SandboxOperations.Kill, HttpMethod.Post, $"/containers/{Missing}/kill"),
        (SandboxOperations.Remove, HttpMethod.Delete, $"/containers/{Missing}?force=1&v=1"),
    ];

    public async Task<SandboxAccessReport> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var checks = new List<SandboxAccessCheck>(Probes.Length + 1);
        Version? version = null;
        try
        {
            version = await ApiVersionNegotiator.NegotiateAsync(endpoint, timeout, cancellationToken).ConfigureAwait(false);
            checks.Add(new SandboxAccessCheck(SandboxOperations.Connect, true, ProxyPermissions.For(SandboxOperations.Connect), "200 from /_ping"));
        }
        catch (SandboxException e)
        {
            checks.Add(new SandboxAccessCheck(SandboxOperations.Connect, false, ProxyPermissions.For(SandboxOperations.Connect), e.Message));
            return new SandboxAccessReport(endpoint.ToString(), null, checks);
        }

        using var client = EngineHttp.Create(endpoint);
        var prefix = string.Create(CultureInfo.InvariantCulture, $"/v{version.Major}.{version.Minor}");
        foreach (var (operation, method, path) in Probes)
        {
            checks.Add(await ProbeOneAsync(client, operation, method, prefix + path, cancellationToken).ConfigureAwait(false));
        }

        return new SandboxAccessReport(endpoint.ToString(), version.ToString(), checks);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<SandboxAccessCheck> ProbeOneAsync(HttpClient client, string operation, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var permissions = ProxyPermissions.For(operation);
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (method == HttpMethod.Post || method == HttpMethod.Put)
        {
            request.Content = new StringContent(method == HttpMethod.Put ? string.Empty : "{}", Encoding.UTF8, method == HttpMethod.Put ? "application/x-tar" : "application/json");
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return response.StatusCode == HttpStatusCode.Forbidden
                ? new SandboxAccessCheck(operation, false, permissions, "403: denied by the proxy")
                : new SandboxAccessCheck(operation, true, permissions, string.Create(CultureInfo.InvariantCulture, $"{status} from the engine"));
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new SandboxAccessCheck(operation, false, permissions, "no answer: " + e.Message);
        }
    }
}
