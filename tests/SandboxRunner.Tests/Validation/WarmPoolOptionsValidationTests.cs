using Microsoft.Extensions.Options;
using SandboxRunner.Validation;

namespace SandboxRunner.Tests.Validation;

/// <summary>Warm pool profiles are checked with the options: their own settings, and the profile as a request.</summary>
[TestFixture]
[Category("Unit")]
public sealed class WarmPoolOptionsValidationTests
{
    [Test]
    public void Validate_ValidProfile_Succeeds()
    {
        Assert.That(Validate(Profile()).Succeeded, Is.True);
    }

    [TestCase(0)]
    [TestCase(65)]
    public void Validate_SizeOutOfRange_FailsNamingIt(int size)
    {
        AssertFailsMentioning(Profile(p => p.Size = size), "WarmPools[0].Size");
    }

    [TestCase(0.5)]
    [TestCase(3601)]
    public void Validate_IdleLifetimeOutOfRange_FailsNamingIt(double seconds)
    {
        AssertFailsMentioning(Profile(p => p.IdleLifetime = TimeSpan.FromSeconds(seconds)), "WarmPools[0].IdleLifetime");
    }

    [TestCase(-0.001)]
    [TestCase(60.001)]
    public void Validate_RefillDelayOutOfRange_FailsNamingIt(double seconds)
    {
        AssertFailsMentioning(Profile(p => p.RefillDelay = TimeSpan.FromSeconds(seconds)), "WarmPools[0].RefillDelay");
    }

    [TestCase(0)]
    [TestCase(60)]
    public void Validate_RefillDelayAtBounds_Succeeds(int seconds)
    {
        Assert.That(Validate(Profile(p => p.RefillDelay = TimeSpan.FromSeconds(seconds))).Succeeded, Is.True);
    }

    [Test]
    public void Validate_ProfileWithoutCommand_FailsAsARequest()
    {
        AssertFailsMentioning(Profile(p => p.Command.Clear()), "WarmPools[0] is not a valid request");
    }

    [Test]
    public void Validate_ProfileLimitsAboveTheCeilings_FailsAsARequest()
    {
        AssertFailsMentioning(Profile(p => p.Limits = new SandboxLimits { MaxProcesses = 100_000 }), "WarmPools[0] is not a valid request");
    }

    [Test]
    public void Validate_NullProfile_FailsNamingIt()
    {
        var options = new SandboxRunnerOptions();
        options.WarmPools.Add(null!);

        AssertFailsMentioning(options, "WarmPools[0] is null");
    }

    private static SandboxRunnerOptions Profile(Action<WarmPoolOptions>? change = null)
    {
        var profile = new WarmPoolOptions { Image = "python:3.11" };
        profile.Command.Add("python3");
        profile.Command.Add("-");
        change?.Invoke(profile);
        var options = new SandboxRunnerOptions();
        options.WarmPools.Add(profile);
        return options;
    }

    private static ValidateOptionsResult Validate(SandboxRunnerOptions options) =>
        SandboxRunnerOptionsValidator.Instance.Validate(Options.DefaultName, options);

    private static void AssertFailsMentioning(SandboxRunnerOptions options, string fragment)
    {
        var result = Validate(options);

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.Failures, Has.Some.Contains(fragment));
        });
    }
}
