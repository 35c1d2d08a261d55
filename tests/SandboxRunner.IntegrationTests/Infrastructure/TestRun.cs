namespace SandboxRunner.IntegrationTests.Infrastructure;

/// <summary>
/// Identifies this test process's run: every sandbox it creates carries <see cref="LabelKey"/> =
/// <see cref="Id"/>, so that leftovers are found by label and never confused with another run's.
/// </summary>
public static class TestRun
{
    /// <summary>The label key; not under <c>sandboxrunner.</c>, which the library reserves.</summary>
    public const string LabelKey = "sandboxrunner-tests.run";

    public const string PythonImage = "127.0.0.1:5000/sandboxrunner/python:3.11";

    public const string BusyboxImage = "127.0.0.1:5000/sandboxrunner/busybox:1";

    public const string UpHint = "Start the test bed with `bash tests/testbed/up.sh` (as root) and run the tests again.";

    public static string Id { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The <c>docker ps --filter</c> value selecting this run's sandboxes.</summary>
    public static string LabelFilter => $"{LabelKey}={Id}";
}
