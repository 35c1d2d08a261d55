using System.Reflection;
using System.Runtime.Loader;
using SandboxRunner.IntegrationTests.Infrastructure;

namespace SandboxRunner.IntegrationTests.Running;

/// <summary>
/// The runner's behaviour does not depend on ambient settings of the Docker client package. Docker.DotNet
/// reads <c>DOCKER_DOTNET_NATIVE_HTTP_ENABLED</c> once per process into a static field, so the library is
/// loaded afresh, in its own load context, while the variable is set.
/// </summary>
[TestFixtureSource(typeof(EngineEndpoint), nameof(EngineEndpoint.All))]
[Category("Integration")]
[NonParallelizable]
public sealed class AmbientEnvironmentTests(EngineEndpoint endpoint) : SandboxFixture(endpoint)
{
    private const string NativeHttpVariable = "DOCKER_DOTNET_NATIVE_HTTP_ENABLED";

    [Test]
    [CancelAfter(60_000)]
    public async Task RunAsync_NativeHttpTransportRequestedByEnvironment_StandardInputStillReachesTheProgram(CancellationToken cancellationToken)
    {
        var context = new FreshLibraryContext();
        var previous = Environment.GetEnvironmentVariable(NativeHttpVariable);
        Environment.SetEnvironmentVariable(NativeHttpVariable, "1");
        try
        {
            var library = new ReflectedLibrary(context.LoadFromAssemblyName(new AssemblyName("SandboxRunner")));
            var runner = library.CreateRunner(CreateOptions());
            try
            {
                var (status, stdout) = await library.RunAsync(
                    runner, ["python3", "-c", "import sys\nprint(sys.stdin.read().upper(), end='')"], Utf8("through stdin\n"), TimeSpan.FromSeconds(10), cancellationToken);

                Assert.Multiple(() =>
                {
                    Assert.That(stdout, Is.EqualTo("THROUGH STDIN\n"), $"status {status}: the program never saw its input");
                    Assert.That(status, Is.EqualTo(nameof(SandboxStatus.Completed)));
                });
            }
            finally
            {
                await ((IAsyncDisposable)runner).DisposeAsync();
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(NativeHttpVariable, previous);
            context.Unload();
        }
    }

    /// <summary>Loads the library and the Docker client packages (with their HTTP client) afresh; everything else is shared.</summary>
    private sealed class FreshLibraryContext() : AssemblyLoadContext("sandboxrunner-fresh", isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var name = assemblyName.Name ?? string.Empty;
            if (name is not ("SandboxRunner" or "Microsoft.Net.Http.Client") && !name.StartsWith("Docker.DotNet", StringComparison.Ordinal))
            {
                return null;
            }

            var path = Path.Combine(AppContext.BaseDirectory, name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }

    /// <summary>The few public members of the freshly loaded library the test needs, reached by reflection.</summary>
    private sealed class ReflectedLibrary(Assembly library)
    {
        public object CreateRunner(SandboxRunnerOptions template)
        {
            var options = Activator.CreateInstance(Type("SandboxRunnerOptions"))!;
            Set(options, nameof(SandboxRunnerOptions.Endpoint), template.Endpoint);
            Set(options, nameof(SandboxRunnerOptions.DefaultImage), template.DefaultImage);
            var labels = (IDictionary<string, string>)Get(options, nameof(SandboxRunnerOptions.Labels))!;
            foreach (var (key, value) in template.Labels)
            {
                labels[key] = value;
            }

            var create = Type(nameof(SandboxRunnerFactory)).GetMethod(nameof(SandboxRunnerFactory.CreateDocker))!;
            return create.Invoke(null, [options, null, null])!;
        }

        public async Task<(string Status, string StandardOutput)> RunAsync(
            object runner, string[] command, byte[] standardInput, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var request = Activator.CreateInstance(Type(nameof(SandboxRequest)))!;
            Set(request, nameof(SandboxRequest.Command), command);
            Set(request, nameof(SandboxRequest.StandardInput), new ReadOnlyMemory<byte>(standardInput));
            Set(request, nameof(SandboxRequest.Timeout), (TimeSpan?)timeout);

            var run = Type(nameof(ISandboxRunner)).GetMethod(nameof(ISandboxRunner.RunAsync))!;
            var task = (Task)run.Invoke(runner, [request, cancellationToken])!;
            await task;
            var result = task.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(task)!;
            return (Get(result, nameof(SandboxResult.Status))!.ToString()!, (string)Get(result, nameof(SandboxResult.StandardOutputText))!);
        }

        private static object? Get(object target, string property) => target.GetType().GetProperty(property)!.GetValue(target);

        private static void Set(object target, string property, object? value) => target.GetType().GetProperty(property)!.SetValue(target, value);

        private Type Type(string name) => library.GetType("SandboxRunner." + name, throwOnError: true)!;
    }
}
