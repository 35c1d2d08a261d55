using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SandboxRunner.Pooling;
using SandboxRunner.Telemetry;
using SandboxRunner.Tests.Fakes;
using SandboxRunner.Validation;

namespace SandboxRunner.Tests.Telemetry;

/// <summary>The ready gauge of warm pools: what a started pool holds, by image, and nothing once it is disposed.</summary>
[TestFixture]
[Category("Unit")]
[CancelAfter(30_000)]
public sealed class WarmPoolMetricsTests
{
    [Test]
    public async Task ReadyGauge_StartedPool_ReportsItsReadySandboxesUntilDisposed(CancellationToken cancellationToken)
    {
        // An image of this test alone: the meter is process-wide.
        var image = "metrics-test-" + Guid.NewGuid().ToString("N")[..8] + "/python:3.11";
        var pool = CreatePool(image, size: 2);
        pool.Start();
        while (pool.Ready < 2)
        {
            await Task.Delay(5, cancellationToken);
        }

        var whileStarted = Observe(image);
        await pool.DisposeAsync();
        var afterDisposal = Observe(image);

        Assert.Multiple(() =>
        {
            Assert.That(whileStarted, Is.EqualTo(new long[] { 2 }));
            Assert.That(afterDisposal, Is.Empty);
        });
    }

    /// <summary>The ready gauge's measurements for <paramref name="image"/>.</summary>
    private static List<long> Observe(string image)
    {
        var values = new List<long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SandboxRunnerMetrics.Name && instrument.Name == SandboxRunnerMetrics.WarmReadyInstrument)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == SandboxRunnerMetrics.ImageTag && Equals(tag.Value, image))
                {
                    values.Add(value);
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    private static WarmPool CreatePool(string image, int size)
    {
        var plan = RequestValidator.Validate(new SandboxRequest { Image = image, Command = ["python3", "-"] }, new SandboxRunnerOptions());
        var time = new FakeTimeProvider();
        return new WarmPool(
            plan,
            new WarmPoolOptions { Image = image, Size = size },
            (_, _) => Task.FromResult(FakeWarmSandbox.Create(time)),
            _ => Task.CompletedTask,
            time,
            NullLogger.Instance);
    }
}
