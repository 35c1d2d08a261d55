namespace SandboxRunner.Benchmarks;

/// <summary>
/// SandboxRunner and the floor against the same engine, each already used once (connection, API version, image
/// cache, JIT), so that first uses stay out of every measurement. Each run checks its output.
/// </summary>
internal sealed class ColdContenders : IAsyncDisposable
{
    private readonly ISandboxRunner _runner;
    private readonly FloorRunner _floor;

    private ColdContenders(ISandboxRunner runner, FloorRunner floor)
    {
        _runner = runner;
        _floor = floor;
    }

    public static async Task<ColdContenders> CreateAsync(int maxConcurrentRuns = 16)
    {
        var contenders = new ColdContenders(LibraryRunner.Create(Testbed.Endpoint, maxConcurrentRuns), new FloorRunner(Testbed.Endpoint));
        await contenders.LibraryAsync();
        await contenders.FloorAsync();
        return contenders;
    }

    public async Task<string> LibraryAsync() => Testbed.Check(await LibraryRunner.RunAsync(_runner), "SandboxRunner");

    public async Task<string> FloorAsync() => Testbed.Check((await _floor.RunAsync()).StandardOutput, "floor");

    public async ValueTask DisposeAsync()
    {
        await _runner.DisposeAsync();
        _floor.Dispose();
    }
}
