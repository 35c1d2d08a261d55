using System.Text;
using SandboxRunner.Validation;

namespace SandboxRunner.Tests.Validation;

[TestFixture]
[Category("Unit")]
public sealed class RequestValidatorTests
{
    private const string Image = "busybox:1.36";

    private static SandboxRunnerOptions Options() => new();

    private static SandboxRequest Request(params string[] command) =>
        new() { Image = Image, Command = command.Length == 0 ? ["true"] : command };

    private static ArgumentException Invalid(SandboxRequest request, SandboxRunnerOptions? options = null) =>
        Assert.Throws(Is.InstanceOf<ArgumentException>(), () => RequestValidator.Validate(request, options ?? Options())) as ArgumentException
        ?? throw new AssertionException("no ArgumentException");

    [Test]
    public void Validate_MinimalRequest_AppliesDefaults()
    {
        var options = Options();

        var plan = RequestValidator.Validate(Request("python3", "-c", "print(1)"), options);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Image.Original, Is.EqualTo(Image));
            Assert.That(plan.Command, Is.EqualTo(new[] { "python3", "-c", "print(1)" }));
            Assert.That(plan.Environment, Is.Empty);
            Assert.That(plan.Files, Is.Empty);
            Assert.That(plan.WorkingDirectory, Is.EqualTo(SandboxPaths.Workspace));
            Assert.That(plan.Timeout, Is.EqualTo(options.DefaultTimeout));
            Assert.That(plan.Limits, Is.EqualTo(new EffectiveLimits(
                options.Limits.MemoryBytes,
                options.Limits.CpuCores,
                options.Limits.MaxProcesses,
                options.Limits.MaxOutputBytes,
                options.Limits.TmpSizeBytes,
                options.Limits.WorkspaceSizeBytes,
                options.Limits.MaxFileSizeBytes,
                options.Limits.MaxOpenFiles)));
        });
    }

    [Test]
    public void Validate_NoImageInRequest_TakesDefaultImageFromOptions()
    {
        var options = new SandboxRunnerOptions { DefaultImage = "python:3.12-slim" };

        var plan = RequestValidator.Validate(new SandboxRequest { Command = ["python3"] }, options);

        Assert.That(plan.Image.Original, Is.EqualTo("python:3.12-slim"));
    }

    [Test]
    public void Validate_NoImageAnywhere_ThrowsForImage()
    {
        var error = Invalid(new SandboxRequest { Command = ["true"] });

        Assert.That(error.ParamName, Is.EqualTo("request.Image"));
    }

    [TestCase("Busybox")]
    [TestCase("busy box")]
    [TestCase("busybox::1")]
    [TestCase("busybox:")]
    [TestCase("busybox@sha256:xyz")]
    [TestCase("")]
    public void Validate_MalformedImage_ThrowsForImage(string image)
    {
        var error = Invalid(Request() with { Image = image });

        Assert.That(error.ParamName, Is.EqualTo("request.Image"));
    }

    [Test]
    public void Validate_MalformedDefaultImage_ThrowsForImageAndNamesTheOption()
    {
        var options = new SandboxRunnerOptions { DefaultImage = "Not/Valid" };

        var error = Invalid(new SandboxRequest { Command = ["true"] }, options);

        Assert.Multiple(() =>
        {
            Assert.That(error.ParamName, Is.EqualTo("request.Image"));
            Assert.That(error.Message, Does.Contain("DefaultImage"));
        });
    }

    [Test]
    public void Validate_NullCommand_ThrowsForCommand()
    {
        var error = Invalid(Request() with { Command = null! });

        Assert.That(error.ParamName, Is.EqualTo("request.Command"));
    }

    [Test]
    public void Validate_EmptyCommand_ThrowsForCommand()
    {
        var error = Invalid(Request() with { Command = [] });

        Assert.That(error.ParamName, Is.EqualTo("request.Command"));
    }

    [TestCase("")]
    [TestCase("   ")]
    public void Validate_BlankProgram_ThrowsForCommand(string program)
    {
        var error = Invalid(Request(program, "arg"));

        Assert.That(error.ParamName, Is.EqualTo("request.Command"));
    }

    [Test]
    public void Validate_NulInArgument_ThrowsForCommand()
    {
        var error = Invalid(Request("echo", "a\0b"));

        Assert.That(error.ParamName, Is.EqualTo("request.Command"));
    }

    [Test]
    public void Validate_NullArgument_ThrowsForCommand()
    {
        var error = Invalid(Request() with { Command = ["echo", null!] });

        Assert.That(error.ParamName, Is.EqualTo("request.Command"));
    }

    [Test]
    public void Validate_EmptyArgumentAfterProgram_IsKept()
    {
        var plan = RequestValidator.Validate(Request("printf", string.Empty), Options());

        Assert.That(plan.Command, Is.EqualTo(new[] { "printf", string.Empty }));
    }

    [TestCase("")]
    [TestCase("A=B")]
    [TestCase("A\0B")]
    public void Validate_InvalidEnvironmentName_ThrowsForEnvironment(string name)
    {
        var error = Invalid(Request() with { Environment = new Dictionary<string, string> { [name] = "value" } });

        Assert.That(error.ParamName, Is.EqualTo("request.Environment"));
    }

    [Test]
    public void Validate_NulInEnvironmentValue_ThrowsForEnvironment()
    {
        var error = Invalid(Request() with { Environment = new Dictionary<string, string> { ["A"] = "x\0y" } });

        Assert.That(error.ParamName, Is.EqualTo("request.Environment"));
    }

    [Test]
    public void Validate_Environment_BecomesSortedNameValuePairs()
    {
        var request = Request() with
        {
            Environment = new Dictionary<string, string> { ["ZED"] = "1", ["ALPHA"] = "a=b", ["EMPTY"] = string.Empty },
        };

        var plan = RequestValidator.Validate(request, Options());

        Assert.That(plan.Environment, Is.EqualTo(new[] { "ALPHA=a=b", "EMPTY=", "ZED=1" }));
    }

    [Test]
    public void Validate_ArgumentsAndEnvironmentAboveOneMebibyte_ThrowsForCommand()
    {
        var half = new string('x', 512 * 1024);
        var request = Request("echo", half) with { Environment = new Dictionary<string, string> { ["BIG"] = half } };

        var error = Invalid(request);

        Assert.That(error.ParamName, Is.EqualTo("request.Command"));
    }

    [Test]
    public void Validate_ArgumentsJustBelowOneMebibyte_AreAccepted()
    {
        // "echo\0" takes 5 bytes, the argument its length plus its NUL.
        var argument = new string('x', (1024 * 1024) - 5 - 1);

        var plan = RequestValidator.Validate(Request("echo", argument), Options());

        Assert.That(plan.Command[1], Has.Length.EqualTo(argument.Length));
    }

    [Test]
    public void Validate_ArgumentSizeCountsUtf8Bytes_NotCharacters()
    {
        // 400 Ki characters of a 3-byte letter are 1.2 MiB of UTF-8.
        var error = Invalid(Request("echo", new string('€', 400 * 1024)));

        Assert.That(error.ParamName, Is.EqualTo("request.Command"));
    }

    [TestCase("work")]
    [TestCase("/sandbox/../etc")]
    [TestCase("/sandbox/./work")]
    [TestCase("/sandbox//work")]
    [TestCase("")]
    public void Validate_BadWorkingDirectory_ThrowsForWorkingDirectory(string directory)
    {
        var error = Invalid(Request() with { WorkingDirectory = directory });

        Assert.That(error.ParamName, Is.EqualTo("request.WorkingDirectory"));
    }

    [TestCase("/")]
    [TestCase("/tmp")]
    [TestCase("/sandbox/work/src")]
    public void Validate_AbsoluteWorkingDirectory_IsKept(string directory)
    {
        var plan = RequestValidator.Validate(Request() with { WorkingDirectory = directory }, Options());

        Assert.That(plan.WorkingDirectory, Is.EqualTo(directory));
    }

    [Test]
    public void Validate_ZeroTimeout_ThrowsOutOfRangeForTimeout()
    {
        var error = Invalid(Request() with { Timeout = TimeSpan.Zero });

        Assert.That(error, Is.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("request.Timeout"));
    }

    [Test]
    public void Validate_NegativeTimeout_ThrowsOutOfRangeForTimeout()
    {
        var error = Invalid(Request() with { Timeout = TimeSpan.FromSeconds(-1) });

        Assert.That(error, Is.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("request.Timeout"));
    }

    [Test]
    public void Validate_TimeoutAboveMaxTimeout_ThrowsOutOfRangeForTimeout()
    {
        var options = new SandboxRunnerOptions { MaxTimeout = TimeSpan.FromMinutes(1) };

        var error = Invalid(Request() with { Timeout = TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(1) }, options);

        Assert.That(error, Is.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("request.Timeout"));
    }

    [Test]
    public void Validate_TimeoutEqualToMaxTimeout_IsAccepted()
    {
        var options = new SandboxRunnerOptions { MaxTimeout = TimeSpan.FromMinutes(1) };

        var plan = RequestValidator.Validate(Request() with { Timeout = TimeSpan.FromMinutes(1) }, options);

        Assert.That(plan.Timeout, Is.EqualTo(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public void Validate_LimitsAboveCeiling_ThrowsForThatLimit()
    {
        var options = Options();

        var error = Invalid(Request() with { Limits = new SandboxLimits { MemoryBytes = options.Limits.MemoryBytes + 1 } }, options);

        Assert.That(error.ParamName, Is.EqualTo("request.Limits.MemoryBytes"));
    }

    [Test]
    public void Validate_InputIsCarriedIntoThePlan()
    {
        var input = Encoding.UTF8.GetBytes("stdin");

        var plan = RequestValidator.Validate(Request() with { StandardInput = input }, Options());

        Assert.That(plan.StandardInput.ToArray(), Is.EqualTo(input));
    }

    [Test]
    public void Validate_NullRequest_ThrowsArgumentNull()
    {
        Assert.That(() => RequestValidator.Validate(null!, Options()), Throws.ArgumentNullException);
    }
}
