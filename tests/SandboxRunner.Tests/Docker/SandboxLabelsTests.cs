using System.Globalization;
using SandboxRunner.Docker;

namespace SandboxRunner.Tests.Docker;

[TestFixture]
[Category("Unit")]
public sealed class SandboxLabelsTests
{
    private static readonly DateTimeOffset Created = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void Create_MarksTheSandboxAsManagedWithOwnerAndExpiry()
    {
        var labels = SandboxLabels.Create("run42", Created, Created.AddMinutes(5), new Dictionary<string, string>());

        Assert.Multiple(() =>
        {
            Assert.That(labels[SandboxLabels.Managed], Is.EqualTo("true"));
            Assert.That(labels[SandboxLabels.RunId], Is.EqualTo("run42"));
            Assert.That(labels[SandboxLabels.OwnerHost], Is.EqualTo(Environment.MachineName));
            Assert.That(labels[SandboxLabels.OwnerPid], Is.EqualTo(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
            Assert.That(long.Parse(labels[SandboxLabels.OwnerStarted], CultureInfo.InvariantCulture), Is.Positive);
            Assert.That(labels[SandboxLabels.Created], Is.EqualTo(Created.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
            Assert.That(labels[SandboxLabels.Expires], Is.EqualTo(Created.AddMinutes(5).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
            Assert.That(labels.Keys, Has.All.StartWith("sandboxrunner."));
        });
    }

    [Test]
    public void Create_ExtraLabels_AreAddedButCannotOverrideReservedOnes()
    {
        var extra = new Dictionary<string, string> { ["team"] = "judge", [SandboxLabels.Managed] = "false" };

        var labels = SandboxLabels.Create("run42", Created, Created, extra);

        Assert.Multiple(() =>
        {
            Assert.That(labels["team"], Is.EqualTo("judge"));
            Assert.That(labels[SandboxLabels.Managed], Is.EqualTo("true"));
        });
    }
}
