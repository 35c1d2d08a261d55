using Microsoft.Extensions.Logging;

namespace SandboxRunner.Telemetry;

/// <summary>
/// Every log message of the library. EventIds are stable and never reused: 1xx engine, 2xx images,
/// 3xx runs, 4xx deadlines, 5xx cleanup, 6xx sweeping. Submitted code, environment values and program
/// output are never logged.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Connected to the engine at {Endpoint}, API {ApiVersion}")]
    public static partial void Connected(ILogger logger, Uri endpoint, Version apiVersion);

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Pulling image {Image}")]
    public static partial void Pulling(ILogger logger, string image);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Pulled image {Image} in {ElapsedMs} ms")]
    public static partial void Pulled(ILogger logger, string image, long elapsedMs);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Pull of image {Image} failed: {RegistryMessage}")]
    public static partial void PullFailed(ILogger logger, string image, string registryMessage);

    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Run {RunId} created sandbox {SandboxId} from {Image}")]
    public static partial void Created(ILogger logger, string runId, string sandboxId, string image);

    [LoggerMessage(EventId = 301, Level = LogLevel.Debug, Message = "Run {RunId} in sandbox {SandboxId} ended: {Status}, exit code {ExitCode}, {ElapsedMs} ms")]
    public static partial void Finished(ILogger logger, string runId, string sandboxId, SandboxStatus status, int exitCode, long elapsedMs);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Run {RunId} in sandbox {SandboxId} failed in {Operation}")]
    public static partial void RunFailed(ILogger logger, Exception exception, string runId, string? sandboxId, string operation);

    [LoggerMessage(EventId = 303, Level = LogLevel.Debug, Message = "Run {RunId} in sandbox {SandboxId} was cancelled by the caller")]
    public static partial void Cancelled(ILogger logger, string runId, string? sandboxId);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Output of sandbox {SandboxId} did not end within {WaitMs} ms after the program ended; it was cut")]
    public static partial void OutputDidNotEnd(ILogger logger, string sandboxId, long waitMs);

    [LoggerMessage(EventId = 305, Level = LogLevel.Debug, Message = "Run {RunId} took warm sandbox {SandboxId}")]
    public static partial void TookWarm(ILogger logger, string runId, string sandboxId);

    [LoggerMessage(EventId = 306, Level = LogLevel.Warning, Message = "Preparing a warm sandbox of {Image} failed; retrying with backoff")]
    public static partial void WarmRefillFailed(ILogger logger, Exception exception, string image);

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Sandbox {SandboxId} reached its deadline of {TimeoutMs} ms; stopping it")]
    public static partial void DeadlineReached(ILogger logger, string sandboxId, long timeoutMs);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Stopping sandbox {SandboxId} failed or overran; killing it")]
    public static partial void StopFailed(ILogger logger, Exception? exception, string sandboxId);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Killing sandbox {SandboxId} failed; removal will force it")]
    public static partial void KillFailed(ILogger logger, Exception exception, string sandboxId);

    [LoggerMessage(EventId = 500, Level = LogLevel.Debug, Message = "Removing sandbox {SandboxId} failed (attempt {Attempt}); retrying")]
    public static partial void RemoveRetry(ILogger logger, Exception? exception, string sandboxId, int attempt);

    [LoggerMessage(EventId = 501, Level = LogLevel.Error, Message = "Sandbox {SandboxId} could not be removed; it is left to the orphan sweeper")]
    public static partial void RemoveFailed(ILogger logger, Exception? exception, string sandboxId);

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Swept orphaned sandbox {SandboxId} ({Reason})")]
    public static partial void Swept(ILogger logger, string sandboxId, string reason);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Sweeping orphaned sandboxes failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}
