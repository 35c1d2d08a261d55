using System.Globalization;
using global::Docker.DotNet.Models;
using SandboxRunner.Validation;

namespace SandboxRunner.Docker;

/// <summary>
/// Builds the create request of a sandbox. Every isolation setting is fixed here: nothing in a request
/// or in the options can ask for privileges, host namespaces, binds, devices, networks or ports.
/// </summary>
internal static class ContainerSpecFactory
{
    /// <summary>Where the disk-backed volume of a cold run with files is mounted; the workspace lies inside it.</summary>
    public const string VolumeRoot = "/sandbox";

    /// <summary>/dev/shm is private and tiny: shared memory is no way around the memory limit.</summary>
    public const long ShmSizeBytes = 1024 * 1024;

    /// <summary>
    /// RLIMIT_NPROC counts every process of the uid on the host, across sandboxes: it is set high, as a
    /// backstop; the per-sandbox bound is the pids limit.
    /// </summary>
    public const long ProcessRlimit = 4096;

    /// <summary>The create request of a cold run: stdin open only if the request has input, a volume only if it has files.</summary>
    public static CreateContainerParameters Create(RunPlan plan, RunUser user, TimeSpan stopGrace, IDictionary<string, string> labels, string name) =>
        Create(plan, user, stopGrace, labels, name, openStdin: !plan.StandardInput.IsEmpty, ColdWorkspace(plan));

    /// <summary>
    /// The create request of a sandbox whose input is not known yet (a warm one): stdin open and a memory-backed
    /// volume workspace, so that any request of its profile can be delivered to it while it runs.
    /// </summary>
    public static CreateContainerParameters CreateWarm(RunPlan plan, RunUser user, TimeSpan stopGrace, IDictionary<string, string> labels, string name) =>
        Create(plan, user, stopGrace, labels, name, openStdin: true, WorkspaceMount.MemoryVolume);

    /// <summary>The workspace of a cold run: files must be uploaded before start, so they need a disk-backed volume.</summary>
    public static WorkspaceMount ColdWorkspace(RunPlan plan) => plan.Files.Count > 0 ? WorkspaceMount.DiskVolume : WorkspaceMount.Tmpfs;

    /// <summary>Where the archive of files is uploaded for a workspace mounted as <paramref name="mount"/>.</summary>
    public static string UploadPath(WorkspaceMount mount) => mount switch
    {
        WorkspaceMount.DiskVolume => VolumeRoot,
        WorkspaceMount.MemoryVolume => SandboxPaths.Workspace,
        _ => throw new ArgumentOutOfRangeException(nameof(mount), mount, "A tmpfs workspace takes no upload."),
    };

    // stopGrace is also the engine's own stop timeout for the container: a stop the engine makes by itself
    // (at its shutdown or restore) then gives the program the runner's grace, not the engine's 10 s.
    private static CreateContainerParameters Create(
        RunPlan plan, RunUser user, TimeSpan stopGrace, IDictionary<string, string> labels, string name, bool openStdin, WorkspaceMount workspace)
    {
        var limits = plan.Limits;
        var hasStdin = openStdin;
        var uid = user.Uid.ToString(CultureInfo.InvariantCulture);
        var gid = user.Gid.ToString(CultureInfo.InvariantCulture);

        var tmpfs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SandboxPaths.Tmp] = Invariant($"rw,noexec,nosuid,nodev,size={limits.TmpSizeBytes},uid={uid},gid={gid},mode=1777"),
        };
        var workspaceOptions = Invariant($"rw,exec,nosuid,nodev,size={limits.WorkspaceSizeBytes},uid={uid},gid={gid},mode=0700");

        // An anonymous volume declared here needs no /volumes call and is removed with the sandbox (v=1).
        IList<Mount>? mounts = null;
        switch (workspace)
        {
            case WorkspaceMount.Tmpfs:
                tmpfs[SandboxPaths.Workspace] = workspaceOptions;
                break;
            case WorkspaceMount.DiskVolume:
                mounts = [new Mount { Type = "volume", Target = VolumeRoot, ReadOnly = false }];
                break;
            case WorkspaceMount.MemoryVolume:
                mounts =
                [
                    new Mount
                    {
                        Type = "volume",
                        Target = SandboxPaths.Workspace,
                        ReadOnly = false,
                        VolumeOptions = new VolumeOptions
                        {
                            DriverConfig = new Driver
                            {
                                Name = "local",
                                Options = new Dictionary<string, string>(StringComparer.Ordinal)
                                {
                                    ["type"] = "tmpfs",
                                    ["device"] = "tmpfs",
                                    ["o"] = workspaceOptions,
                                },
                            },
                        },
                    },
                ];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(workspace), workspace, "Unknown workspace mount.");
        }

        return new CreateContainerParameters
        {
            Name = name,
            Image = plan.Image.Original,
            Entrypoint = [],
            Cmd = [.. plan.Command],
            Env = [.. plan.Environment],
            WorkingDir = plan.WorkingDirectory,
            User = user.ToString(),
            Hostname = "sandbox",
            Labels = labels,
            AttachStdin = hasStdin,
            OpenStdin = hasStdin,
            StdinOnce = hasStdin,
            AttachStdout = true,
            AttachStderr = true,
            Tty = false,
            NetworkDisabled = true,
            StopSignal = "SIGTERM",
            StopTimeout = TimeSpan.FromSeconds(Math.Ceiling(stopGrace.TotalSeconds)),
            HostConfig = new HostConfig
            {
                NetworkMode = "none",
                ReadonlyRootfs = true,
                Privileged = false,
                PublishAllPorts = false,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges:true"],
                Memory = limits.MemoryBytes,
                MemorySwap = limits.MemoryBytes,
                NanoCPUs = (long)Math.Round(limits.CpuCores * 1_000_000_000d),
                PidsLimit = limits.MaxProcesses,
                Ulimits =
                [
                    new Ulimit { Name = "nofile", Soft = limits.MaxOpenFiles, Hard = limits.MaxOpenFiles },
                    new Ulimit { Name = "nproc", Soft = ProcessRlimit, Hard = ProcessRlimit },
                    new Ulimit { Name = "fsize", Soft = limits.MaxFileSizeBytes, Hard = limits.MaxFileSizeBytes },
                    new Ulimit { Name = "core", Soft = 0, Hard = 0 },
                ],
                IpcMode = "private",
                ShmSize = ShmSizeBytes,
                Init = true,
                LogConfig = new LogConfig { Type = "none", Config = new Dictionary<string, string>() },
                Tmpfs = tmpfs,
                Mounts = mounts,
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
                AutoRemove = false,
            },
        };
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
