using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace SandboxRunner.Tests.Fakes;

/// <summary>A fresh fake engine, fake clock and recording logger for each test.</summary>
public abstract class FakeEngineTest
{
    internal FakeDockerClient Client { get; private set; } = null!;

    protected FakeTimeProvider Time { get; private set; } = null!;

    protected FakeLogger Logger { get; private set; } = null!;

    [SetUp]
    public void CreateFakes()
    {
        Client = new FakeDockerClient();
        Time = new FakeTimeProvider();
        Logger = new FakeLogger();
    }

    [TearDown]
    public void DisposeFakes() => Client.Dispose();
}
