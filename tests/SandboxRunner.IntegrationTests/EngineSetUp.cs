using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests;

/// <summary>
/// Checks once per run that the test bed is up. A missing engine, proxy or registry fails the run: it is
/// never a reason to skip the integration tests.
/// </summary>
[SetUpFixture]
public sealed class EngineSetUp
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    [OneTimeSetUp]
    public async Task CheckTestBedAsync()
    {
        var problems = new List<string>();
        foreach (var endpoint in EngineEndpoint.All)
        {
            if (await EnginePing.ProblemAsync(endpoint, PingTimeout) is { } problem)
            {
                problems.Add(problem);
            }
        }

        if (problems.Count == 0)
        {
            var python = await DockerCli.RunAsync("image", "inspect", "--format", "{{.Id}}", TestRun.PythonImage);
            if (python.ExitCode != 0)
            {
                problems.Add($"the image {TestRun.PythonImage} is missing: {python.StandardError.Trim()}");
            }

            var registry = await RegistryProblemAsync();
            if (registry is not null)
            {
                problems.Add(registry);
            }
        }

        if (problems.Count > 0)
        {
            Assert.Fail($"The engine test bed is not ready: {string.Join("; ", problems)}. {TestRun.UpHint}");
        }

        TestContext.Progress.WriteLine($"Integration test run {TestRun.Id}: direct {EngineEndpoint.Direct.Uri}, proxy {EngineEndpoint.Proxy.Uri}");
    }

    [OneTimeTearDown]
    public async Task NoSandboxLeftByTheRunAsync()
    {
        var left = await DockerCli.ListTestContainersAsync();
        Assert.That(left, Is.Empty, $"containers labelled {TestRun.LabelFilter} are left after the whole run");
    }

    private static async Task<string?> RegistryProblemAsync()
    {
        using var client = new HttpClient { Timeout = PingTimeout };
        try
        {
            using var response = await client.GetAsync(new Uri("http://127.0.0.1:5000/v2/"));
            return response.IsSuccessStatusCode ? null : $"the registry at 127.0.0.1:5000 answered {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"the registry at 127.0.0.1:5000 does not answer: {e.Message}";
        }
    }
}
