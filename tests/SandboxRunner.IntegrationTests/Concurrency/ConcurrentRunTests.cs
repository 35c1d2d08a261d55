using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Concurrency;

/// <summary>One runner serves many runs at once, each with its own sandbox and output.</summary>
[TestFixtureSource(typeof(EngineEndpoint), nameof(EngineEndpoint.All))]
[Category("Integration")]
public sealed class ConcurrentRunTests(EngineEndpoint endpoint) : SandboxFixture(endpoint)
{
    private const int Runs = 20;

    [Test]
    [CancelAfter(180_000)]
    public async Task RunAsync_TwentyRunsAtOnce_EachReturnsItsOwnOutput(CancellationToken cancellationToken)
    {
        var runs = Enumerable.Range(0, Runs)
            .Select(i => Runner.RunAsync(
                Python("import os, sys\nprint('run', sys.argv[1], os.environ['INDEX'])") with
                {
                    Command = ["python3", "-c", "import os, sys\nprint('run', sys.argv[1], os.environ['INDEX'])", i.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                    Environment = new Dictionary<string, string> { ["INDEX"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    StandardInput = Utf8("input " + i),
                    Timeout = TimeSpan.FromSeconds(90),
                },
                cancellationToken))
            .ToList();

        var results = await Task.WhenAll(runs);

        Assert.Multiple(() =>
        {
            for (var i = 0; i < Runs; i++)
            {
                Assert.That(results[i].StandardOutputText, Is.EqualTo($"run {i} {i}\n"), $"run {i}: {Describe(results[i])}");
                Assert.That(results[i].Status, Is.EqualTo(SandboxStatus.Completed), $"run {i}");
            }

            Assert.That(results.Select(r => r.SandboxId).Distinct().Count(), Is.EqualTo(Runs), "every run had its own sandbox");
        });
    }
}
