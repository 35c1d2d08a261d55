using global::Docker.DotNet.Models;
using SandboxRunner.Docker;
using SandboxRunner.Validation;

namespace SandboxRunner.Tests.Docker;

[TestFixture]
[Category("Unit")]
public sealed class ContainerSpecFactoryTests
{
    private static readonly RunUser User = new(65534, 65534);

    private static CreateContainerParameters Create(SandboxRequest? request = null, SandboxRunnerOptions? options = null, RunUser? user = null)
    {
        var plan = RequestValidator.Validate(request ?? new SandboxRequest { Image = "busybox:1.36", Command = ["sh", "-c", "echo hi"] }, options ?? new SandboxRunnerOptions());
        var labels = new Dictionary<string, string> { [SandboxLabels.Managed] = "true" };
        return ContainerSpecFactory.Create(plan, user ?? User, TimeSpan.FromSeconds(1.5), labels, "sandboxrunner-run1");
    }

    [Test]
    public void Create_GracePeriod_IsTheEnginesOwnStopTimeoutRoundedUp()
    {
        var spec = Create();

        Assert.That(spec.StopTimeout, Is.EqualTo(TimeSpan.FromSeconds(2)), "a stop the engine makes by itself (shutdown, restore) gives the same grace");
    }

    [Test]
    public void Create_DefaultPlan_IsolatesTheNetwork()
    {
        var spec = Create();

        Assert.Multiple(() =>
        {
            Assert.That(spec.HostConfig!.NetworkMode, Is.EqualTo("none"));
            Assert.That(spec.NetworkDisabled, Is.True);
            Assert.That(spec.HostConfig!.PortBindings, Is.Null.Or.Empty);
            Assert.That(spec.ExposedPorts, Is.Null.Or.Empty);
            Assert.That(spec.HostConfig!.PublishAllPorts, Is.False);
            Assert.That(spec.HostConfig!.ExtraHosts, Is.Null.Or.Empty);
            Assert.That(spec.HostConfig!.DNS, Is.Null.Or.Empty);
        });
    }

    [Test]
    public void Create_DefaultPlan_DropsEveryPrivilege()
    {
        var spec = Create();

        Assert.Multiple(() =>
        {
            Assert.That(spec.HostConfig!.Privileged, Is.False);
            Assert.That(spec.HostConfig!.CapDrop, Is.EqualTo(new[] { "ALL" }));
            Assert.That(spec.HostConfig!.CapAdd, Is.Null.Or.Empty);
            Assert.That(spec.HostConfig!.SecurityOpt, Does.Contain("no-new-privileges:true"));
            Assert.That(spec.HostConfig!.SecurityOpt, Has.None.Contains("unconfined"));
            Assert.That(spec.HostConfig!.ReadonlyRootfs, Is.True);
            Assert.That(spec.User, Is.EqualTo("65534:65534"));
        });
    }

    [Test]
    public void Create_DefaultPlan_SharesNothingWithTheHost()
    {
        var spec = Create();

        Assert.Multiple(() =>
        {
            Assert.That(spec.HostConfig!.Binds, Is.Null.Or.Empty);
            Assert.That(spec.HostConfig!.Devices, Is.Null.Or.Empty);
            Assert.That(spec.HostConfig!.VolumesFrom, Is.Null.Or.Empty);
            Assert.That(spec.HostConfig!.IpcMode, Is.EqualTo("private"));
            Assert.That(spec.HostConfig!.PidMode, Is.Null.Or.Empty);
            Assert.That(spec.HostConfig!.UTSMode, Is.Null.Or.Empty);
            Assert.That(spec.HostConfig!.UsernsMode, Is.Null.Or.Empty);
            Assert.That(spec.HostConfig!.CgroupParent, Is.Null.Or.Empty);
            Assert.That(spec.HostConfig!.ShmSize, Is.EqualTo(ContainerSpecFactory.ShmSizeBytes).And.LessThanOrEqualTo(1024 * 1024));
            Assert.That(spec.HostConfig!.Init, Is.True);
            Assert.That(spec.HostConfig!.LogConfig.Type, Is.EqualTo("none"));
            Assert.That(spec.HostConfig!.AutoRemove, Is.False);
            Assert.That(spec.HostConfig!.RestartPolicy.Name, Is.EqualTo(RestartPolicyKind.No));
        });
    }

    [Test]
    public void Create_DefaultPlan_AppliesTheCeilingsAsLimits()
    {
        var limits = new SandboxLimitOptions();

        var spec = Create();

        Assert.Multiple(() =>
        {
            Assert.That(spec.HostConfig!.Memory, Is.EqualTo(limits.MemoryBytes));
            Assert.That(spec.HostConfig!.MemorySwap, Is.EqualTo(limits.MemoryBytes), "no swap on top of memory");
            Assert.That(spec.HostConfig!.NanoCPUs, Is.EqualTo(1_000_000_000L));
            Assert.That(spec.HostConfig!.PidsLimit, Is.EqualTo(limits.MaxProcesses));
        });
    }

    [Test]
    public void Create_TightenedLimits_AreApplied()
    {
        var request = new SandboxRequest
        {
            Image = "busybox",
            Command = ["true"],
            Limits = new SandboxLimits { MemoryBytes = 32L << 20, CpuCores = 0.25, MaxProcesses = 16, MaxOpenFiles = 64, MaxFileSizeBytes = 1 << 20 },
        };

        var spec = Create(request);

        Assert.Multiple(() =>
        {
            Assert.That(spec.HostConfig!.Memory, Is.EqualTo(32L << 20));
            Assert.That(spec.HostConfig!.MemorySwap, Is.EqualTo(32L << 20));
            Assert.That(spec.HostConfig!.NanoCPUs, Is.EqualTo(250_000_000L));
            Assert.That(spec.HostConfig!.PidsLimit, Is.EqualTo(16));
            Assert.That(spec.HostConfig!.Ulimits!.Single(u => u.Name == "nofile").Hard, Is.EqualTo(64));
            Assert.That(spec.HostConfig!.Ulimits!.Single(u => u.Name == "fsize").Hard, Is.EqualTo(1 << 20));
        });
    }

    [Test]
    public void Create_DefaultPlan_SetsUlimits()
    {
        var limits = new SandboxLimitOptions();

        var ulimits = Create().HostConfig!.Ulimits!.ToDictionary(u => u.Name);

        Assert.Multiple(() =>
        {
            Assert.That(ulimits.Keys, Is.EquivalentTo(new[] { "nofile", "nproc", "fsize", "core" }));
            Assert.That((ulimits["nofile"].Soft, ulimits["nofile"].Hard), Is.EqualTo(((long)limits.MaxOpenFiles, (long)limits.MaxOpenFiles)));
            Assert.That((ulimits["nproc"].Soft, ulimits["nproc"].Hard), Is.EqualTo((ContainerSpecFactory.ProcessRlimit, ContainerSpecFactory.ProcessRlimit)));
            Assert.That((ulimits["fsize"].Soft, ulimits["fsize"].Hard), Is.EqualTo((limits.MaxFileSizeBytes, limits.MaxFileSizeBytes)));
            Assert.That((ulimits["core"].Soft, ulimits["core"].Hard), Is.EqualTo((0L, 0L)));
        });
    }

    [Test]
    public void Create_Tmp_IsNonExecutableTmpfsOwnedByTheUser()
    {
        var options = new TmpfsOptions(Create(user: new RunUser(1000, 2000)).HostConfig!.Tmpfs![SandboxPaths.Tmp]);

        Assert.Multiple(() =>
        {
            Assert.That(options.Flags, Is.SupersetOf(new[] { "noexec", "nosuid", "nodev" }));
            Assert.That(options.Flags, Does.Not.Contain("exec"));
            Assert.That(options.Values["size"], Is.EqualTo(new SandboxLimitOptions().TmpSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(options.Values["uid"], Is.EqualTo("1000"));
            Assert.That(options.Values["gid"], Is.EqualTo("2000"));
        });
    }

    [Test]
    public void Create_NoFiles_WorkspaceIsSizedTmpfsAndNoVolume()
    {
        var spec = Create();

        var workspace = new TmpfsOptions(spec.HostConfig!.Tmpfs![SandboxPaths.Workspace]);
        Assert.Multiple(() =>
        {
            Assert.That(spec.HostConfig!.Mounts, Is.Null.Or.Empty);
            Assert.That(workspace.Flags, Is.SupersetOf(new[] { "nosuid", "nodev" }));
            Assert.That(workspace.Values["size"], Is.EqualTo(new SandboxLimitOptions().WorkspaceSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(workspace.Values["uid"], Is.EqualTo("65534"));
            Assert.That(workspace.Values["gid"], Is.EqualTo("65534"));
        });
    }

    [Test]
    public void Create_WithFiles_MountsAnAnonymousVolumeInsteadOfWorkspaceTmpfs()
    {
        var request = new SandboxRequest { Image = "busybox", Command = ["true"], Files = [SandboxFile.FromText("a.txt", "a")] };

        var spec = Create(request);

        var mount = spec.HostConfig!.Mounts!.Single();
        Assert.Multiple(() =>
        {
            Assert.That(spec.HostConfig!.Tmpfs!.Keys, Is.EquivalentTo(new[] { SandboxPaths.Tmp }));
            Assert.That(mount.Type, Is.EqualTo("volume"));
            Assert.That(mount.Source, Is.Null.Or.Empty, "anonymous: removed with the container");
            Assert.That(mount.Target, Is.EqualTo(ContainerSpecFactory.VolumeRoot));
            Assert.That(SandboxPaths.Workspace, Does.StartWith(ContainerSpecFactory.VolumeRoot + "/"));
            Assert.That(mount.BindOptions, Is.Null);
        });
    }

    [Test]
    public void CreateWarm_MountsAMemoryBackedVolumeAtTheWorkspaceOwnedByTheUserAndCapped()
    {
        var plan = RequestValidator.Validate(new SandboxRequest { Image = "python:3.11", Command = ["python3", "-"] }, new SandboxRunnerOptions());

        var spec = ContainerSpecFactory.CreateWarm(plan, new RunUser(65534, 65534), TimeSpan.FromSeconds(2), new Dictionary<string, string>(), "warm");

        var mount = spec.HostConfig!.Mounts!.Single();
        var driver = mount.VolumeOptions!.DriverConfig!;
        var options = new TmpfsOptions(driver.Options!["o"]);
        Assert.Multiple(() =>
        {
            Assert.That(spec.HostConfig!.Tmpfs!.Keys, Is.EquivalentTo(new[] { SandboxPaths.Tmp }));
            Assert.That((mount.Type, mount.Source, mount.Target), Is.EqualTo(("volume", (string?)null, SandboxPaths.Workspace)), "anonymous: removed with the container");
            Assert.That(driver.Name, Is.EqualTo("local"));
            Assert.That((driver.Options!["type"], driver.Options["device"]), Is.EqualTo(("tmpfs", "tmpfs")));
            Assert.That(options.Flags, Is.SupersetOf(new[] { "nosuid", "nodev" }));
            Assert.That(options.Values["size"], Is.EqualTo(new SandboxLimitOptions().WorkspaceSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That((options.Values["uid"], options.Values["gid"], options.Values["mode"]), Is.EqualTo(("65534", "65534", "0700")));
            Assert.That((spec.OpenStdin, spec.StdinOnce, spec.AttachStdin), Is.EqualTo((true, true, true)));
        });
    }

    [Test]
    public void Create_Command_RunsWithoutTheImageEntrypoint()
    {
        var spec = Create();

        Assert.Multiple(() =>
        {
            Assert.That(spec.Entrypoint, Is.Not.Null.And.Empty);
            Assert.That(spec.Cmd, Is.EqualTo(new[] { "sh", "-c", "echo hi" }));
            Assert.That(spec.Image, Is.EqualTo("busybox:1.36"));
            Assert.That(spec.Name, Is.EqualTo("sandboxrunner-run1"));
            Assert.That(spec.WorkingDir, Is.EqualTo(SandboxPaths.Workspace));
            Assert.That(spec.Tty, Is.False);
        });
    }

    [Test]
    public void Create_EnvironmentAndLabels_AreCarried()
    {
        var request = new SandboxRequest { Image = "busybox", Command = ["env"], Environment = new Dictionary<string, string> { ["A"] = "1" } };

        var spec = Create(request);

        Assert.Multiple(() =>
        {
            Assert.That(spec.Env, Is.EqualTo(new[] { "A=1" }));
            Assert.That(spec.Labels![SandboxLabels.Managed], Is.EqualTo("true"));
        });
    }

    [Test]
    public void Create_NoInput_DoesNotOpenStdin()
    {
        var spec = Create();

        Assert.Multiple(() =>
        {
            Assert.That(spec.AttachStdin, Is.False);
            Assert.That(spec.OpenStdin, Is.False);
            Assert.That(spec.StdinOnce, Is.False);
            Assert.That(spec.AttachStdout, Is.True);
            Assert.That(spec.AttachStderr, Is.True);
        });
    }

    [Test]
    public void Create_WithInput_OpensStdinOnce()
    {
        var spec = Create(new SandboxRequest { Image = "busybox", Command = ["cat"], StandardInput = new byte[] { 1 } });

        Assert.Multiple(() =>
        {
            Assert.That(spec.AttachStdin, Is.True);
            Assert.That(spec.OpenStdin, Is.True);
            Assert.That(spec.StdinOnce, Is.True);
        });
    }

    /// <summary>A tmpfs option string such as <c>rw,noexec,size=1,uid=2</c>, split into flags and values.</summary>
    private sealed class TmpfsOptions
    {
        public TmpfsOptions(string text)
        {
            var parts = text.Split(',');
            Flags = [.. parts.Where(p => !p.Contains('=', StringComparison.Ordinal))];
            Values = parts.Where(p => p.Contains('=', StringComparison.Ordinal)).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        }

        public IReadOnlyList<string> Flags { get; }

        public Dictionary<string, string> Values { get; }
    }
}
