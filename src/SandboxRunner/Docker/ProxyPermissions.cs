namespace SandboxRunner.Docker;

/// <summary>
/// The permission model of the common HAProxy-based Docker socket proxy: any method but GET and HEAD
/// needs <c>POST</c>; then the path, without its <c>/vX.Y</c> prefix, needs the section it starts with.
/// </summary>
internal static class ProxyPermissions
{
    private static readonly (string Prefix, string Permission)[] Sections =
    [
        ("/_ping", "PING"), ("/auth", "AUTH"), ("/build", "BUILD"), ("/commit", "COMMIT"), ("/configs", "CONFIGS"),
        ("/containers", "CONTAINERS"), ("/distribution", "DISTRIBUTION"), ("/events", "EVENTS"), ("/exec", "EXEC"),
        ("/images", "IMAGES"), ("/info", "INFO"), ("/networks", "NETWORKS"), ("/nodes", "NODES"), ("/plugins", "PLUGINS"),
        ("/secrets", "SECRETS"), ("/services", "SERVICES"), ("/session", "SESSION"), ("/swarm", "SWARM"),
        ("/system", "SYSTEM"), ("/tasks", "TASKS"), ("/version", "VERSION"), ("/volumes", "VOLUMES"),
    ];

    /// <summary>The permissions that let <paramref name="method"/> on <paramref name="path"/> through.</summary>
    public static IReadOnlyList<string> For(HttpMethod method, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        var list = new List<string>(2);
        var section = Sections.FirstOrDefault(s => path.StartsWith(s.Prefix, StringComparison.Ordinal)).Permission;
        if (section is not null)
        {
            list.Add(section);
        }

        if (method != HttpMethod.Get && method != HttpMethod.Head)
        {
            list.Add("POST");
        }

        return list;
    }

    /// <summary>The permissions each operation of the runner needs.</summary>
    public static IReadOnlyList<string> For(string operation) => operation switch
    {
        SandboxOperations.Connect => For(HttpMethod.Get, "/_ping"),
        SandboxOperations.ImageInspect => For(HttpMethod.Get, "/images/x/json"),
        SandboxOperations.ImagePull => For(HttpMethod.Post, "/images/create"),
        SandboxOperations.List => For(HttpMethod.Get, "/containers/json"),
        SandboxOperations.Inspect => For(HttpMethod.Get, "/containers/x/json"),
        SandboxOperations.Upload => For(HttpMethod.Put, "/containers/x/archive"),
        SandboxOperations.Remove => For(HttpMethod.Delete, "/containers/x"),
        _ => For(HttpMethod.Post, "/containers/x"),
    };
}
