using System.CommandLine;
using SandboxRunner.Cli;

var host = new Option<string?>("--host", "-H") { Description = "Engine endpoint: unix:///path or tcp://host:port (default: DOCKER_HOST, else the local socket)." };
var root = new RootCommand("sandboxrun: run untrusted programs in throwaway, hardened Docker containers.")
{
    RunCommand.Create(host),
    SweepCommand.Create(host),
    DoctorCommand.Create(host),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
