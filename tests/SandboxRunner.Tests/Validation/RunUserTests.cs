using SandboxRunner.Validation;

namespace SandboxRunner.Tests.Validation;

[TestFixture]
[Category("Unit")]
public sealed class RunUserTests
{
    [TestCase("65534:65534", 65534, 65534)]
    [TestCase("1000:1001", 1000, 1001)]
    [TestCase("1:1", 1, 1)]
    public void TryParse_NumericNonRoot_Parses(string value, int uid, int gid)
    {
        var parsed = RunUser.TryParse(value, out var user);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.True);
            Assert.That(user, Is.EqualTo(new RunUser(uid, gid)));
            Assert.That(user.ToString(), Is.EqualTo(value));
        });
    }

    [TestCase("0:0")]
    [TestCase("0:1000")]
    [TestCase("1000:0")]
    [TestCase("root")]
    [TestCase("root:root")]
    [TestCase("1000")]
    [TestCase("1000:1000:1000")]
    [TestCase("-1:1000")]
    [TestCase("+1:1000")]
    [TestCase(" 1000:1000")]
    [TestCase("1000:")]
    [TestCase("99999999999:1")]
    [TestCase("")]
    [TestCase(null)]
    public void TryParse_RootOrNotNumeric_Fails(string? value)
    {
        Assert.That(RunUser.TryParse(value, out _), Is.False);
    }
}
