using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SandboxRunner.Docker;
using SandboxRunner.Pooling;
using SandboxRunner.Tests.Fakes;
using SandboxRunner.Validation;

namespace SandboxRunner.Tests.Pooling;

[TestFixture]
[Category("Unit")]
[CancelAfter(30_000)]
public sealed class WarmPoolTests
{
    private static readonly RunPlan Plan = RequestValidator.Validate(
        new SandboxRequest { Image = "python:3.11", Command = ["python3", "-"] }, new SandboxRunnerOptions());

    private readonly List<WarmSandbox> _prepared = [];
    private readonly List<WarmSandbox> _discarded = [];
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider();
        _prepared.Clear();
        _discarded.Clear();
    }

    [Test]
    public async Task TryTake_ReadySandboxes_EachIsHandedOutOnce(CancellationToken cancellationToken)
    {
        await using var pool = CreatePool(size: 2);
        pool.Start();
        await WaitUntilAsync(() => pool.Ready == 2, cancellationToken);

        var first = pool.TryTake();
        var second = pool.TryTake();

        Assert.That(first, Is.Not.Null);
        Assert.That(second, Is.Not.Null.And.Not.SameAs(first));
        first!.Release();
        second!.Release();
        await WaitUntilAsync(() => pool.Ready == 2, cancellationToken);
        Assert.That(_prepared, Has.Count.EqualTo(4), "each take is refilled");
    }

    [Test]
    public async Task TryTake_RunStillGoingOn_ReplacedWhenItEnds(CancellationToken cancellationToken)
    {
        await using var pool = CreatePool(size: 1);
        pool.Start();
        await WaitUntilAsync(() => pool.Ready == 1, cancellationToken);

        var taken = pool.TryTake()!;
        await Task.Delay(100, cancellationToken);
        var preparedDuringTheRun = _prepared.Count;
        taken.Release();
        await WaitUntilAsync(() => pool.Ready == 1, cancellationToken);

        Assert.That(preparedDuringTheRun, Is.EqualTo(1), "no refill while the run goes on and the delay has not passed");
        Assert.That(_prepared, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task TryTake_RunLongerThanTheRefillDelay_ReplacedWhileItGoesOn(CancellationToken cancellationToken)
    {
        await using var pool = CreatePool(size: 1);
        pool.Start();
        await WaitUntilAsync(() => pool.Ready == 1, cancellationToken);

        var taken = pool.TryTake()!;
        _time.Advance(TimeSpan.FromMilliseconds(499));
        await Task.Delay(100, cancellationToken);
        var preparedBeforeTheDelay = _prepared.Count;
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitUntilAsync(() => pool.Ready == 1, cancellationToken);

        Assert.That(preparedBeforeTheDelay, Is.EqualTo(1));
        Assert.That(taken.Released.IsCompleted, Is.False, "replaced while its run still goes on");
        Assert.That(_prepared, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task TryTake_NoRefillDelay_ReplacedAtOnce(CancellationToken cancellationToken)
    {
        await using var pool = CreatePool(size: 1, refillDelay: TimeSpan.Zero);
        pool.Start();
        await WaitUntilAsync(() => pool.Ready == 1, cancellationToken);

        var taken = pool.TryTake()!;
        await WaitUntilAsync(() => pool.Ready == 1, cancellationToken);

        Assert.That(taken.Released.IsCompleted, Is.False);
        Assert.That(_prepared, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task TryTake_SandboxDiedWhileIdle_IsDiscardedNotHandedOut(CancellationToken cancellationToken)
    {
        await using var pool = CreatePool(size: 1, exitedAtOnce: true);
        pool.Start();
        await WaitUntilAsync(() => pool.Ready == 1, cancellationToken);

        var taken = pool.TryTake();

        Assert.That(taken, Is.Null);
        Assert.That(_discarded, Has.Count.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task Refill_SandboxPastItsIdleLifetime_IsReplaced(CancellationToken cancellationToken)
    {
        await using var pool = CreatePool(size: 1);
        pool.Start();
        await WaitUntilAsync(() => pool.Ready == 1, cancellationToken);
        var original = _prepared[0];

        _time.Advance(TimeSpan.FromMinutes(5));
        await WaitUntilAsync(() => _discarded.Contains(original) && pool.Ready == 1, cancellationToken, advance: TimeSpan.FromSeconds(30));

        Assert.That(pool.TryTake(), Is.Not.SameAs(original));
    }

    [Test]
    public async Task DisposeAsync_IdleSandboxes_AreAllDiscarded(CancellationToken cancellationToken)
    {
        var pool = CreatePool(size: 3);
        pool.Start();
        await WaitUntilAsync(() => pool.Ready == 3, cancellationToken);

        await pool.DisposeAsync();

        Assert.That(_discarded, Is.EquivalentTo(_prepared));
        Assert.That(pool.TryTake(), Is.Null);
    }

    [Test]
    public void Matches_SameProfileOtherInputAndDeadline_TrueOtherwiseFalse()
    {
        var pool = CreatePool(size: 1);
        var options = new SandboxRunnerOptions();
        SandboxRequest Request(string[] command) => new() { Image = "python:3.11", Command = command, StandardInput = "x"u8.ToArray(), Timeout = TimeSpan.FromSeconds(3) };

        Assert.Multiple(() =>
        {
            Assert.That(pool.Matches(RequestValidator.Validate(Request(["python3", "-"]), options)), Is.True);
            Assert.That(pool.Matches(RequestValidator.Validate(Request(["python3", "-u"]), options)), Is.False);
            Assert.That(pool.Matches(RequestValidator.Validate(Request(["python3", "-"]) with { Limits = new SandboxLimits { MaxProcesses = 9 } }, options)), Is.False);
            Assert.That(pool.Matches(RequestValidator.Validate(Request(["python3", "-"]) with { Environment = new Dictionary<string, string> { ["A"] = "1" } }, options)), Is.False);
        });
    }

    private WarmPool CreatePool(int size, bool exitedAtOnce = false, TimeSpan? refillDelay = null)
    {
        var profile = new WarmPoolOptions
        {
            Image = "python:3.11",
            Size = size,
            IdleLifetime = TimeSpan.FromMinutes(5),
            RefillDelay = refillDelay ?? TimeSpan.FromMilliseconds(500),
        };
        return new WarmPool(
            Plan,
            profile,
            (_, _) =>
            {
                var sandbox = FakeWarmSandbox.Create(_time, exitedAtOnce);
                lock (_prepared)
                {
                    _prepared.Add(sandbox);
                }

                return Task.FromResult(sandbox);
            },
            sandbox =>
            {
                lock (_discarded)
                {
                    _discarded.Add(sandbox);
                }

                return Task.CompletedTask;
            },
            _time,
            NullLogger.Instance);
    }

    private async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken, TimeSpan? advance = null)
    {
        while (!condition())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (advance is { } step)
            {
                _time.Advance(step);
            }

            await Task.Delay(5, cancellationToken);
        }
    }
}
