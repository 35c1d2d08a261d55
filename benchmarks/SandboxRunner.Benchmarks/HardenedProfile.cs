using System.Globalization;
using Docker.DotNet.Models;

namespace SandboxRunner.Benchmarks;

/// <summary>
/// The hardened profile of SandboxRunner's defaults, written out by hand (self-contained: the floor must not
/// use the library). Values are the defaults of <see cref="SandboxLimitOptions"/> and of the library's create request.
/// </summary>
internal static class HardenedProfile
{
    public const long MemoryBytes = 256L * 1024 * 1024;
    public const long NanoCpus = 1_000_000_000;
    public const long PidsLimit = 128;
    public const long OpenFiles = 256;
    public const long ProcessRlimit = 4096;
    public const long FileSizeBytes = 64L * 1024 * 1024;
    public const long ShmSizeBytes = 1024 * 1024;
    public const string User = "65534:65534";
    public const string Workspace = "/sandbox/work";
    public const string TmpOptions = "rw,noexec,nosuid,nodev,size=67108864,uid=65534,gid=65534,mode=1777";
    public const string WorkspaceOptions = "rw,exec,nosuid,nodev,size=67108864,uid=65534,gid=65534,mode=0700";

    private static readonly string Host = Environment.MachineName;
    private static readonly string Pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Eight labels, as many as the library puts on a sandbox.</summary>
    public static Dictionary<string, string> Labels(string runId)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new Dictionary<string, string>(8, StringComparer.Ordinal)
        {
            [Testbed.BenchmarkLabel] = "floor",
            ["floor.managed"] = "true",
            ["floor.run-id"] = runId,
            ["floor.owner.host"] = Host,
            ["floor.owner.pid"] = Pid,
            ["floor.owner.started"] = Pid,
            ["floor.created"] = now.ToString(CultureInfo.InvariantCulture),
            ["floor.expires"] = (now + 120).ToString(CultureInfo.InvariantCulture),
        };
    }

    public static CreateContainerParameters CreateParameters(string name, string runId) => new()
    {
        Name = name,
        Image = Testbed.Image,
        Entrypoint = [],
        Cmd = Testbed.Command,
        Env = [],
        WorkingDir = Workspace,
        User = User,
        Hostname = "sandbox",
        Labels = Labels(runId),
        AttachStdout = true,
        AttachStderr = true,
        NetworkDisabled = true,
        StopSignal = "SIGTERM",
        HostConfig = HostConfig(logDriver: "none"),
    };

    /// <summary>The isolation settings; <paramref name="logDriver"/> is "none" except for Testcontainers, which reads logs.</summary>
    public static HostConfig HostConfig(string logDriver) => new()
    {
        NetworkMode = "none",
        ReadonlyRootfs = true,
        CapDrop = ["ALL"],
        SecurityOpt = ["no-new-privileges:true"],
        Memory = MemoryBytes,
        MemorySwap = MemoryBytes,
        NanoCPUs = NanoCpus,
        PidsLimit = PidsLimit,
        Ulimits =
        [
            new Ulimit { Name = "nofile", Soft = OpenFiles, Hard = OpenFiles },
            new Ulimit { Name = "nproc", Soft = ProcessRlimit, Hard = ProcessRlimit },
            new Ulimit { Name = "fsize", Soft = FileSizeBytes, Hard = FileSizeBytes },
            new Ulimit { Name = "core", Soft = 0, Hard = 0 },
        ],
        IpcMode = "private",
        ShmSize = ShmSizeBytes,
        Init = true,
        LogConfig = new LogConfig { Type = logDriver, Config = new Dictionary<string, string>() },
        Tmpfs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["/tmp"] = TmpOptions,
            [Workspace] = WorkspaceOptions,
        },
        RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
    };

    /// <summary>The same profile as <c>docker run</c> flags.</summary>
    public static IReadOnlyList<string> CliArguments(string name) =>
    [
        "run", "--rm", "--name", name,
        "--network", "none", "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges:true",
        "--memory", MemoryBytes.ToString(CultureInfo.InvariantCulture), "--memory-swap", MemoryBytes.ToString(CultureInfo.InvariantCulture),
        "--cpus", "1", "--pids-limit", PidsLimit.ToString(CultureInfo.InvariantCulture),
        "--ulimit", "nofile=256:256", "--ulimit", "nproc=4096:4096", "--ulimit", "fsize=67108864:67108864", "--ulimit", "core=0:0",
        "--ipc", "private", "--shm-size", ShmSizeBytes.ToString(CultureInfo.InvariantCulture), "--init", "--log-driver", "none",
        "--tmpfs", "/tmp:" + TmpOptions, "--tmpfs", Workspace + ":" + WorkspaceOptions,
        "--user", User, "--workdir", Workspace, "--hostname", "sandbox", "--stop-signal", "SIGTERM",
        "--label", Testbed.BenchmarkLabel + "=cli", "--entrypoint", string.Empty,
        Testbed.Image, .. Testbed.Command,
    ];
}
