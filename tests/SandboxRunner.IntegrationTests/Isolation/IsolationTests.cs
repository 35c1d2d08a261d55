using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Isolation;

/// <summary>The hardened profile, seen from inside the sandbox: no network, read-only root, capped non-executable /tmp, nobody, no capabilities.</summary>
[TestFixtureSource(typeof(EngineEndpoint), nameof(EngineEndpoint.All))]
[Category("Integration")]
public sealed class IsolationTests(EngineEndpoint endpoint) : SandboxFixture(endpoint)
{
    private const string ConnectProbe = """
        import errno, socket
        for host, port in (('127.0.0.1', 5000), ('10.0.0.1', 80), ('8.8.8.8', 53)):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(3)
            try:
                s.connect((host, port))
                print(host, 'connected')
            except OSError as e:
                print(host, 'failed', errno.errorcode.get(e.errno, e.errno) if e.errno else type(e).__name__)
            finally:
                s.close()
        """;

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_NetworkInterfaces_OnlyLoopbackExists(CancellationToken cancellationToken)
    {
        var code = "import os\nprint(sorted(os.listdir('/sys/class/net')))\nprint(sorted(l.split(':')[0].strip() for l in open('/proc/net/dev').readlines()[2:]))";

        var result = await Runner.RunAsync(Python(code), cancellationToken);

        Assert.That(result.StandardOutputText, Is.EqualTo("['lo']\n['lo']\n"), Describe(result));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_ConnectToHostRegistryOrOutside_Fails(CancellationToken cancellationToken)
    {
        var result = await Runner.RunAsync(Python(ConnectProbe), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Does.Not.Contain("connected"), Describe(result));
            Assert.That(result.StandardOutputText, Does.Contain("127.0.0.1 failed ECONNREFUSED"), "nothing listens on the sandbox's own loopback");
            Assert.That(result.StandardOutputText, Does.Contain("10.0.0.1 failed ENETUNREACH"), "there is no route out");
            Assert.That(result.StandardOutputText, Does.Contain("8.8.8.8 failed ENETUNREACH"), "there is no route out");
            Assert.That(result.ExitCode, Is.Zero);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_WriteToRootFilesystem_FailsReadOnly(CancellationToken cancellationToken)
    {
        var script = "touch /x; echo \"touch $?\"; if [ -w /etc ]; then echo etc-writable; else echo etc-not-writable; fi; "
            + "if [ -w /sandbox ]; then echo sandbox-writable; else echo sandbox-not-writable; fi";

        var result = await Runner.RunAsync(Shell(script), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("touch 1\netc-not-writable\nsandbox-not-writable\n"), Describe(result));
            Assert.That(result.StandardErrorText, Does.Contain("Read-only file system"), "the root is mounted read-only, not merely not owned");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_RootFilesystemForRootOwnedPath_IsReadOnlyMount(CancellationToken cancellationToken)
    {
        // statvfs flags of / and /tmp: ST_RDONLY (1) on the root only; ST_NOEXEC (8) on /tmp.
        var code = "import os\nfor p in ('/', '/etc', '/tmp', '" + SandboxPaths.Workspace + "'):\n    f = os.statvfs(p).f_flag\n    print(p, bool(f & os.ST_RDONLY), bool(f & os.ST_NOEXEC))";

        var result = await Runner.RunAsync(Python(code), cancellationToken);

        Assert.That(result.StandardOutputText, Is.EqualTo($"/ True False\n/etc True False\n/tmp False True\n{SandboxPaths.Workspace} False False\n"), Describe(result));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_WritePastTmpSize_FailsWithNoSpace(CancellationToken cancellationToken)
    {
        var code = """
            import errno, os
            st = os.statvfs('/tmp')
            print('size', st.f_blocks * st.f_frsize)
            with open('/tmp/small', 'wb') as f:
                f.write(b'x' * 1_000_000)
            print('small ok')
            try:
                with open('/tmp/big', 'wb') as f:
                    f.write(b'x' * 3_000_000)
                print('big ok')
            except OSError as e:
                print('big failed', errno.errorcode[e.errno])
            """;
        var request = Python(code) with { Limits = new SandboxLimits { TmpSizeBytes = 2 * 1024 * 1024 } };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.That(result.StandardOutputText, Is.EqualTo($"size {2 * 1024 * 1024}\nsmall ok\nbig failed ENOSPC\n"), Describe(result));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_ScriptCopiedToTmp_CannotBeExecuted(CancellationToken cancellationToken)
    {
        var request = new SandboxRequest
        {
            Image = TestRun.BusyboxImage,
            Command = ["sh", "-c", "./script.sh && cp script.sh /tmp/script.sh && chmod 755 /tmp/script.sh && /tmp/script.sh; echo \"tmp $?\""],
            Files = [SandboxFile.FromText("script.sh", "#!/bin/sh\necho runs\n", executable: true)],
        };

        var result = await Runner.RunAsync(request, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.StandardOutputText, Is.EqualTo("runs\ntmp 126\n"), Describe(result));
            Assert.That(result.StandardErrorText, Does.Contain("Permission denied"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_Identity_IsNobodyWithoutSupplementaryRoot(CancellationToken cancellationToken)
    {
        var result = await Runner.RunAsync(Shell("id -u; id -g; id -G"), cancellationToken);

        Assert.That(result.StandardOutputText, Is.EqualTo("65534\n65534\n65534\n"), Describe(result));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_ProcessStatus_HasNoCapabilitiesAndNoNewPrivileges(CancellationToken cancellationToken)
    {
        var result = await Runner.RunAsync(Python("print(open('/proc/self/status').read())"), cancellationToken);

        var status = result.StandardOutputText.Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());
        Assert.Multiple(() =>
        {
            foreach (var set in new[] { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" })
            {
                Assert.That(status.GetValueOrDefault(set), Is.EqualTo("0000000000000000"), set + ": " + Describe(result));
            }

            Assert.That(status.GetValueOrDefault("NoNewPrivs"), Is.EqualTo("1"));
            Assert.That(status.GetValueOrDefault("Uid"), Is.EqualTo("65534\t65534\t65534\t65534"));
            Assert.That(status.GetValueOrDefault("Gid"), Is.EqualTo("65534\t65534\t65534\t65534"));
        });
    }
}
