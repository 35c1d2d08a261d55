namespace SandboxRunner.Tests;

[TestFixture]
[Category("Unit")]
public sealed class SandboxFileTests
{
    [Test]
    public void FromText_StoresUtf8WithoutByteOrderMark()
    {
        var file = SandboxFile.FromText("src/main.py", "print('é')");

        Assert.Multiple(() =>
        {
            Assert.That(file.Path, Is.EqualTo("src/main.py"));
            Assert.That(file.Content.ToArray(), Is.EqualTo("print('é')"u8.ToArray()));
            Assert.That(file.Executable, Is.False);
        });
    }

    [Test]
    public void FromText_Executable_IsKept()
    {
        Assert.That(SandboxFile.FromText("run.sh", "#!/bin/sh", executable: true).Executable, Is.True);
    }

    [Test]
    public void FromText_NullText_Throws()
    {
        Assert.That(() => SandboxFile.FromText("a", null!), Throws.ArgumentNullException);
    }
}
