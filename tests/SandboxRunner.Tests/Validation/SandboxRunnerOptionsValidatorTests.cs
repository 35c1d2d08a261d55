using Microsoft.Extensions.Options;
using SandboxRunner.Validation;

namespace SandboxRunner.Tests.Validation;

[TestFixture]
[Category("Unit")]
public sealed class SandboxRunnerOptionsValidatorTests
{
    private static ValidateOptionsResult Validate(SandboxRunnerOptions options) =>
        SandboxRunnerOptionsValidator.Instance.Validate(Microsoft.Extensions.Options.Options.DefaultName, options);

    private static void AssertFailsMentioning(SandboxRunnerOptions options, string fragment)
    {
        var result = Validate(options);

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.Failures, Has.Some.Contains(fragment));
        });
    }

    [Test]
    public void Validate_Defaults_Succeed()
    {
        Assert.That(Validate(new SandboxRunnerOptions()).Succeeded, Is.True);
    }

    [Test]
    public void Validate_FullyConfiguredValidOptions_Succeed()
    {
        var options = new SandboxRunnerOptions
        {
            Endpoint = "http://docker-proxy:2375",
            DefaultImage = "127.0.0.1:5000/sandboxrunner/python:3.11",
            PullPolicy = ImagePullPolicy.Never,
            StopGracePeriod = TimeSpan.Zero,
            User = "1000:1000",
        };
        options.Labels["team"] = "judge";
        options.RegistryCredentials["127.0.0.1:5000"] = new RegistryCredential { Username = "u", Password = "p" };
        options.RegistryCredentials["ghcr.io"] = new RegistryCredential { IdentityToken = "token" };

        Assert.That(Validate(options).Succeeded, Is.True);
    }

    [TestCase("unix:///var/run/docker.sock")]
    [TestCase("tcp://127.0.0.1:2375")]
    [TestCase("http://proxy:2375")]
    public void Validate_SupportedEndpoint_Succeeds(string endpoint)
    {
        Assert.That(Validate(new SandboxRunnerOptions { Endpoint = endpoint }).Succeeded, Is.True);
    }

    [TestCase("ftp://host")]
    [TestCase("https://host:2376")]
    [TestCase("unix://")]
    [TestCase("not a uri")]
    public void Validate_UnsupportedEndpoint_Fails(string endpoint)
    {
        AssertFailsMentioning(new SandboxRunnerOptions { Endpoint = endpoint }, "Endpoint");
    }

    [Test]
    public void Validate_MalformedDefaultImage_Fails()
    {
        AssertFailsMentioning(new SandboxRunnerOptions { DefaultImage = "Python:3" }, "DefaultImage");
    }

    [Test]
    public void Validate_UndefinedPullPolicy_Fails()
    {
        AssertFailsMentioning(new SandboxRunnerOptions { PullPolicy = (ImagePullPolicy)42 }, "PullPolicy");
    }

    [TestCase("0:0")]
    [TestCase("root")]
    [TestCase("1000")]
    [TestCase("0:1000")]
    [TestCase("1000:0")]
    [TestCase("")]
    public void Validate_RootOrNonNumericUser_Fails(string user)
    {
        AssertFailsMentioning(new SandboxRunnerOptions { User = user }, "User");
    }

    [TestCase(nameof(SandboxRunnerOptions.DefaultTimeout), 0)]
    [TestCase(nameof(SandboxRunnerOptions.DefaultTimeout), -1)]
    [TestCase(nameof(SandboxRunnerOptions.MaxTimeout), 0)]
    [TestCase(nameof(SandboxRunnerOptions.CleanupTimeout), 0)]
    [TestCase(nameof(SandboxRunnerOptions.CleanupTimeout), -1)]
    [TestCase(nameof(SandboxRunnerOptions.ConnectTimeout), 0)]
    public void Validate_NonPositiveTimeout_Fails(string option, int seconds)
    {
        var options = new SandboxRunnerOptions();
        typeof(SandboxRunnerOptions).GetProperty(option)!.SetValue(options, TimeSpan.FromSeconds(seconds));

        AssertFailsMentioning(options, option);
    }

    [Test]
    public void Validate_DefaultTimeoutLongerThanMaxTimeout_Fails()
    {
        var options = new SandboxRunnerOptions { DefaultTimeout = TimeSpan.FromMinutes(2), MaxTimeout = TimeSpan.FromMinutes(1) };

        AssertFailsMentioning(options, "longer than MaxTimeout");
    }

    [TestCase(-1)]
    [TestCase(61)]
    public void Validate_StopGracePeriodOutOfRange_Fails(int seconds)
    {
        AssertFailsMentioning(new SandboxRunnerOptions { StopGracePeriod = TimeSpan.FromSeconds(seconds) }, "StopGracePeriod");
    }

    [TestCase(0)]
    [TestCase(60)]
    public void Validate_StopGracePeriodAtBounds_Succeeds(int seconds)
    {
        Assert.That(Validate(new SandboxRunnerOptions { StopGracePeriod = TimeSpan.FromSeconds(seconds) }).Succeeded, Is.True);
    }

    private static IEnumerable<TestCaseData> LimitsBelowMinimum()
    {
        yield return new TestCaseData((Action<SandboxLimitOptions>)(l => l.MemoryBytes = LimitMinimums.MemoryBytes - 1), "MemoryBytes");
        yield return new TestCaseData((Action<SandboxLimitOptions>)(l => l.CpuCores = 0), "CpuCores");
        yield return new TestCaseData((Action<SandboxLimitOptions>)(l => l.CpuCores = double.NaN), "CpuCores");
        yield return new TestCaseData((Action<SandboxLimitOptions>)(l => l.MaxProcesses = LimitMinimums.MaxProcesses - 1), "MaxProcesses");
        yield return new TestCaseData((Action<SandboxLimitOptions>)(l => l.MaxOutputBytes = LimitMinimums.MaxOutputBytes - 1), "MaxOutputBytes");
        yield return new TestCaseData((Action<SandboxLimitOptions>)(l => l.TmpSizeBytes = LimitMinimums.TmpSizeBytes - 1), "TmpSizeBytes");
        yield return new TestCaseData((Action<SandboxLimitOptions>)(l => l.WorkspaceSizeBytes = LimitMinimums.WorkspaceSizeBytes - 1), "WorkspaceSizeBytes");
        yield return new TestCaseData((Action<SandboxLimitOptions>)(l => l.MaxFileSizeBytes = LimitMinimums.MaxFileSizeBytes - 1), "MaxFileSizeBytes");
        yield return new TestCaseData((Action<SandboxLimitOptions>)(l => l.MaxOpenFiles = LimitMinimums.MaxOpenFiles - 1), "MaxOpenFiles");
    }

    [TestCaseSource(nameof(LimitsBelowMinimum))]
    public void Validate_LimitBelowMinimum_Fails(Action<SandboxLimitOptions> change, string limit)
    {
        var options = new SandboxRunnerOptions();
        change(options.Limits);

        AssertFailsMentioning(options, "Limits." + limit);
    }

    [Test]
    public void Validate_NullLimits_Fails()
    {
        AssertFailsMentioning(new SandboxRunnerOptions { Limits = null! }, "Limits");
    }

    [TestCase("sandboxrunner.managed")]
    [TestCase("SandboxRunner.Owner")]
    [TestCase("")]
    [TestCase(" ")]
    public void Validate_ReservedOrBlankLabelKey_Fails(string key)
    {
        var options = new SandboxRunnerOptions();
        options.Labels[key] = "x";

        AssertFailsMentioning(options, "Label");
    }

    [Test]
    public void Validate_NullLabelValue_Fails()
    {
        var options = new SandboxRunnerOptions();
        options.Labels["team"] = null!;

        AssertFailsMentioning(options, "Label 'team'");
    }

    [Test]
    public void Validate_CredentialWithoutPassword_Fails()
    {
        var options = new SandboxRunnerOptions();
        options.RegistryCredentials["ghcr.io"] = new RegistryCredential { Username = "me" };

        AssertFailsMentioning(options, "RegistryCredentials['ghcr.io']");
    }

    [Test]
    public void Validate_NullCredential_Fails()
    {
        var options = new SandboxRunnerOptions();
        options.RegistryCredentials["ghcr.io"] = null!;

        AssertFailsMentioning(options, "RegistryCredentials['ghcr.io']");
    }

    [Test]
    public void Validate_SeveralFaults_ReportsEach()
    {
        var options = new SandboxRunnerOptions { User = "root", DefaultImage = "UPPER", Endpoint = "ftp://x" };

        var result = Validate(options);

        Assert.That(result.Failures, Has.Exactly(3).Items);
    }

    [Test]
    public void ThrowIfInvalid_InvalidOptions_ThrowsOptionsValidationException()
    {
        Assert.That(
            () => SandboxRunnerOptionsValidator.ThrowIfInvalid(new SandboxRunnerOptions { User = "0:0" }),
            Throws.TypeOf<OptionsValidationException>().With.Property(nameof(OptionsValidationException.OptionsType)).EqualTo(typeof(SandboxRunnerOptions)));
    }
}
