using System.Globalization;
using Microsoft.Extensions.Options;
using SandboxRunner.Docker;

namespace SandboxRunner.Validation;

/// <summary>Validates <see cref="SandboxRunnerOptions"/> as a whole, at start-up and in the runner's constructor.</summary>
internal sealed class SandboxRunnerOptionsValidator : IValidateOptions<SandboxRunnerOptions>
{
    public const string ReservedLabelPrefix = "sandboxrunner.";

    public static readonly SandboxRunnerOptionsValidator Instance = new();

    /// <summary>Timers refuse delays past about 49 days; every duration option stays well below.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(24);

    /// <summary>The removal pipeline's total timeout; Polly accepts 10 ms to 1 day.</summary>
    public static readonly TimeSpan MinCleanupTimeout = TimeSpan.FromMilliseconds(10);

    public ValidateOptionsResult Validate(string? name, SandboxRunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        if (options.Endpoint is not null && !EndpointResolver.TryParse(options.Endpoint, out _))
        {
            errors.Add($"Endpoint '{options.Endpoint}' is not a unix://, tcp:// or http:// URI.");
        }

        if (options.DefaultImage is not null && !ImageReference.TryParse(options.DefaultImage, out _))
        {
            errors.Add($"DefaultImage '{options.DefaultImage}' is not a valid image reference.");
        }

        if (!Enum.IsDefined(options.PullPolicy))
        {
            errors.Add($"PullPolicy {options.PullPolicy} is not defined.");
        }

        foreach (var (registry, credential) in options.RegistryCredentials)
        {
            if (credential is null || (string.IsNullOrEmpty(credential.IdentityToken) && (string.IsNullOrEmpty(credential.Username) || credential.Password is null)))
            {
                errors.Add($"RegistryCredentials['{registry}'] needs Username and Password, or IdentityToken.");
            }
        }

        Positive(errors, options.DefaultTimeout, nameof(options.DefaultTimeout));
        Positive(errors, options.MaxTimeout, nameof(options.MaxTimeout));
        if (options.CleanupTimeout < MinCleanupTimeout || options.CleanupTimeout > TimeSpan.FromDays(1))
        {
            errors.Add($"CleanupTimeout ({options.CleanupTimeout}) must be between 10 ms and 1 day.");
        }
        Positive(errors, options.ConnectTimeout, nameof(options.ConnectTimeout));
        Positive(errors, options.QueueTimeout, nameof(options.QueueTimeout));
        if (options.MaxConcurrentRuns < 1 || options.MaxConcurrentRuns > 1024)
        {
            errors.Add($"MaxConcurrentRuns ({options.MaxConcurrentRuns}) must be between 1 and 1024.");
        }

        if (options.MaxQueuedRuns < 0)
        {
            errors.Add($"MaxQueuedRuns ({options.MaxQueuedRuns}) must not be negative.");
        }
        if (options.DefaultTimeout > options.MaxTimeout)
        {
            errors.Add($"DefaultTimeout ({options.DefaultTimeout}) is longer than MaxTimeout ({options.MaxTimeout}).");
        }

        if (options.StopGracePeriod < TimeSpan.Zero || options.StopGracePeriod > TimeSpan.FromMinutes(1))
        {
            errors.Add($"StopGracePeriod ({options.StopGracePeriod}) must be between 0 and 1 minute.");
        }

        if (!RunUser.TryParse(options.User, out _))
        {
            errors.Add($"User '{options.User}' must be numeric 'uid:gid' with neither 0 (root is never allowed).");
        }

        ValidateLimits(errors, options.Limits);

        foreach (var (key, value) in options.Labels)
        {
            if (string.IsNullOrWhiteSpace(key) || key.StartsWith(ReservedLabelPrefix, StringComparison.OrdinalIgnoreCase) || value is null)
            {
                errors.Add($"Label '{key}' is invalid: keys must be non-empty, values non-null, and the prefix '{ReservedLabelPrefix}' is reserved.");
            }
        }

        ValidateWarmPools(errors, options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static void ThrowIfInvalid(SandboxRunnerOptions options)
    {
        var result = Instance.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SandboxRunnerOptions), result.Failures);
        }
    }

    private static void ValidateLimits(List<string> errors, SandboxLimitOptions? limits)
    {
        if (limits is null)
        {
            errors.Add("Limits is required.");
            return;
        }

        AtLeast(errors, limits.MemoryBytes, LimitMinimums.MemoryBytes, nameof(limits.MemoryBytes));
        AtLeast(errors, limits.MaxProcesses, LimitMinimums.MaxProcesses, nameof(limits.MaxProcesses));
        AtLeast(errors, limits.MaxOutputBytes, LimitMinimums.MaxOutputBytes, nameof(limits.MaxOutputBytes));
        AtLeast(errors, limits.TmpSizeBytes, LimitMinimums.TmpSizeBytes, nameof(limits.TmpSizeBytes));
        AtLeast(errors, limits.WorkspaceSizeBytes, LimitMinimums.WorkspaceSizeBytes, nameof(limits.WorkspaceSizeBytes));
        AtLeast(errors, limits.MaxFileSizeBytes, LimitMinimums.MaxFileSizeBytes, nameof(limits.MaxFileSizeBytes));
        AtLeast(errors, limits.MaxOpenFiles, LimitMinimums.MaxOpenFiles, nameof(limits.MaxOpenFiles));
        if (double.IsNaN(limits.CpuCores) || limits.CpuCores < LimitMinimums.CpuCores)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Limits.CpuCores ({limits.CpuCores}) must be at least {LimitMinimums.CpuCores}."));
        }
    }

    private static void ValidateWarmPools(List<string> errors, SandboxRunnerOptions options)
    {
        if (errors.Count > 0)
        {
            // A profile is checked as a request against the options: only once the options themselves hold.
            return;
        }

        for (var i = 0; i < options.WarmPools.Count; i++)
        {
            var pool = options.WarmPools[i];
            if (pool is null)
            {
                errors.Add($"WarmPools[{i}] is null.");
                continue;
            }

            if (pool.Size < 1 || pool.Size > 64)
            {
                errors.Add($"WarmPools[{i}].Size ({pool.Size}) must be between 1 and 64.");
            }

            if (pool.IdleLifetime < TimeSpan.FromSeconds(1) || pool.IdleLifetime > TimeSpan.FromHours(1))
            {
                errors.Add($"WarmPools[{i}].IdleLifetime ({pool.IdleLifetime}) must be between 1 second and 1 hour.");
            }

            if (pool.RefillDelay < TimeSpan.Zero || pool.RefillDelay > TimeSpan.FromMinutes(1))
            {
                errors.Add($"WarmPools[{i}].RefillDelay ({pool.RefillDelay}) must be between 0 and 1 minute.");
            }

            try
            {
                RequestValidator.Validate(pool.ToRequest(), options);
            }
            catch (ArgumentException e)
            {
                errors.Add($"WarmPools[{i}] is not a valid request ({e.ParamName}): {e.Message}");
            }
        }
    }

    private static void AtLeast<T>(List<string> errors, T value, T minimum, string name)
        where T : IComparable<T>
    {
        if (value.CompareTo(minimum) < 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Limits.{name} ({value}) must be at least {minimum}."));
        }
    }

    private static void Positive(List<string> errors, TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value > MaxDuration)
        {
            errors.Add($"{name} ({value}) must be positive and at most {MaxDuration.TotalDays:0} days.");
        }
    }
}
