using System.Globalization;

namespace SandboxRunner.Validation;

/// <summary>Resolves a request's limits against the configured ceilings.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2208:Instantiate argument exceptions correctly", Justification = "The parameter name is the request field at fault, such as request.Command, as the contract promises.")]
internal static class LimitsValidator
{
    public static EffectiveLimits Resolve(SandboxLimits? requested, SandboxLimitOptions ceilings)
    {
        requested ??= new SandboxLimits();
        return new EffectiveLimits(
            Pick(requested.MemoryBytes, ceilings.MemoryBytes, LimitMinimums.MemoryBytes, nameof(SandboxLimits.MemoryBytes)),
            PickCpu(requested.CpuCores, ceilings.CpuCores),
            Pick(requested.MaxProcesses, ceilings.MaxProcesses, LimitMinimums.MaxProcesses, nameof(SandboxLimits.MaxProcesses)),
            Pick(requested.MaxOutputBytes, ceilings.MaxOutputBytes, LimitMinimums.MaxOutputBytes, nameof(SandboxLimits.MaxOutputBytes)),
            Pick(requested.TmpSizeBytes, ceilings.TmpSizeBytes, LimitMinimums.TmpSizeBytes, nameof(SandboxLimits.TmpSizeBytes)),
            Pick(requested.WorkspaceSizeBytes, ceilings.WorkspaceSizeBytes, LimitMinimums.WorkspaceSizeBytes, nameof(SandboxLimits.WorkspaceSizeBytes)),
            Pick(requested.MaxFileSizeBytes, ceilings.MaxFileSizeBytes, LimitMinimums.MaxFileSizeBytes, nameof(SandboxLimits.MaxFileSizeBytes)),
            Pick(requested.MaxOpenFiles, ceilings.MaxOpenFiles, LimitMinimums.MaxOpenFiles, nameof(SandboxLimits.MaxOpenFiles)));
    }

    private static T Pick<T>(T? requested, T ceiling, T minimum, string name)
        where T : struct, IComparable<T>, IFormattable
    {
        if (requested is not { } value)
        {
            return ceiling;
        }

        if (value.CompareTo(minimum) < 0 || value.CompareTo(ceiling) > 0)
        {
            throw new ArgumentOutOfRangeException(
                "request.Limits." + name,
                value,
                string.Create(CultureInfo.InvariantCulture, $"{name} must be between {minimum} and the configured ceiling {ceiling}."));
        }

        return value;
    }

    private static double PickCpu(double? requested, double ceiling)
    {
        if (requested is double value && double.IsNaN(value))
        {
            throw new ArgumentOutOfRangeException("request.Limits." + nameof(SandboxLimits.CpuCores), value, "CpuCores is not a number.");
        }

        return Pick(requested, ceiling, LimitMinimums.CpuCores, nameof(SandboxLimits.CpuCores));
    }
}
