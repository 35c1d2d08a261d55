namespace SandboxRunner.Docker;

/// <summary>Finds the engine endpoint: the option, else <c>DOCKER_HOST</c>, else the local socket.</summary>
internal static class EndpointResolver
{
    public const string DefaultEndpoint = "unix:///var/run/docker.sock";

    /// <summary>The port of a <c>tcp://</c> endpoint that names none, as for the docker CLI.</summary>
    public const int DefaultTcpPort = 2375;

    public static Uri Resolve(string? configured)
    {
        var value = configured;
        if (string.IsNullOrWhiteSpace(value))
        {
            value = Environment.GetEnvironmentVariable("DOCKER_HOST");
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            value = DefaultEndpoint;
        }

        if (!TryParse(value, out var uri))
        {
            throw new SandboxEngineUnavailableException(
                value, $"The engine endpoint '{value}' is not a unix://, tcp:// or http:// URI (from {(configured is null ? "DOCKER_HOST" : "SandboxRunnerOptions.Endpoint")}).");
        }

        return uri!;
    }

    public static bool TryParse(string value, out Uri? uri)
    {
        uri = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var parsed))
        {
            return false;
        }

        var valid = parsed.Scheme switch
        {
            "unix" => parsed.AbsolutePath.Length > 1,
            "tcp" or "http" => !string.IsNullOrEmpty(parsed.Host),
            _ => false,
        };
        if (valid && parsed.Scheme == "tcp" && parsed.Port < 0)
        {
            // Every client of the endpoint (the ping, the Docker client, the attach) then sees the same port.
            parsed = new UriBuilder(parsed) { Port = DefaultTcpPort }.Uri;
        }

        uri = valid ? parsed : null;
        return valid;
    }
}
