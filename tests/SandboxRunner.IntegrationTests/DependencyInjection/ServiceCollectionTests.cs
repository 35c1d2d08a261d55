using Microsoft.Extensions.DependencyInjection;
using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.DependencyInjection;

/// <summary>The runner registered with dependency injection runs programs on the configured engine.</summary>
[TestFixtureSource(typeof(EngineEndpoint), nameof(EngineEndpoint.All))]
[Category("Integration")]
public sealed class ServiceCollectionTests(EngineEndpoint endpoint) : SandboxFixture(endpoint)
{
    [Test]
    [CancelAfter(60_000)]
    public async Task AddSandboxRunner_ResolvedRunner_RunsHelloWorld(CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSandboxRunner(options =>
        {
            options.Endpoint = Endpoint.Uri;
            options.DefaultImage = TestRun.PythonImage;
            options.Labels[TestRun.LabelKey] = TestRun.Id;
        });
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var runner = provider.GetRequiredService<ISandboxRunner>();
        var result = await runner.RunAsync(Python("print('hello')"), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("hello\n"), Describe(result));
            Assert.That(result.Status, Is.EqualTo(SandboxStatus.Completed));
            Assert.That(provider.GetRequiredService<ISandboxRunner>(), Is.SameAs(runner), "one runner per container");
        });
    }
}
