namespace SandboxRunner.IntegrationTests.Infrastructure;

/// <summary>
/// One way of reaching the test bed's engine: the socket itself, or the least-privilege socket proxy in
/// front of it. Its <see cref="ToString"/> names the fixture instance ("direct", "proxy").
/// </summary>
/// <param name="Name">The short name shown in test names.</param>
/// <param name="Uri">The endpoint, as given to <see cref="SandboxRunnerOptions.Endpoint"/>.</param>
public sealed record EngineEndpoint(string Name, string Uri)
{
    public const string DirectName = "direct";
    public const string ProxyName = "proxy";

    /// <summary>Gets the engine socket itself (override with <c>SANDBOXRUNNER_TEST_DIRECT</c>).</summary>
    public static EngineEndpoint Direct { get; } =
        new(DirectName, FromEnvironment("SANDBOXRUNNER_TEST_DIRECT", "unix:///var/run/docker.sock"));

    /// <summary>Gets the socket proxy (CONTAINERS=1 IMAGES=1 POST=1; override with <c>SANDBOXRUNNER_TEST_PROXY</c>).</summary>
    public static EngineEndpoint Proxy { get; } =
        new(ProxyName, FromEnvironment("SANDBOXRUNNER_TEST_PROXY", "tcp://127.0.0.1:2375"));

    /// <summary>Gets every endpoint; the source of every fixture's <c>[TestFixtureSource]</c>.</summary>
    public static IEnumerable<EngineEndpoint> All => [Direct, Proxy];

    public bool IsDirect => Name == DirectName;

    public override string ToString() => Name;

    private static string FromEnvironment(string variable, string fallback)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();
    }
}
