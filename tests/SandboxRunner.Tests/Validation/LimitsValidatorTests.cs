using SandboxRunner.Validation;

namespace SandboxRunner.Tests.Validation;

[TestFixture]
[Category("Unit")]
public sealed class LimitsValidatorTests
{
    private static readonly SandboxLimitOptions Ceilings = new();

    private static IEnumerable<TestCaseData> AboveCeiling()
    {
        yield return new TestCaseData(new SandboxLimits { MemoryBytes = Ceilings.MemoryBytes + 1 }, "MemoryBytes");
        yield return new TestCaseData(new SandboxLimits { CpuCores = Ceilings.CpuCores + 0.001 }, "CpuCores");
        yield return new TestCaseData(new SandboxLimits { MaxProcesses = Ceilings.MaxProcesses + 1 }, "MaxProcesses");
        yield return new TestCaseData(new SandboxLimits { MaxOutputBytes = Ceilings.MaxOutputBytes + 1 }, "MaxOutputBytes");
        yield return new TestCaseData(new SandboxLimits { TmpSizeBytes = Ceilings.TmpSizeBytes + 1 }, "TmpSizeBytes");
        yield return new TestCaseData(new SandboxLimits { WorkspaceSizeBytes = Ceilings.WorkspaceSizeBytes + 1 }, "WorkspaceSizeBytes");
        yield return new TestCaseData(new SandboxLimits { MaxFileSizeBytes = Ceilings.MaxFileSizeBytes + 1 }, "MaxFileSizeBytes");
        yield return new TestCaseData(new SandboxLimits { MaxOpenFiles = Ceilings.MaxOpenFiles + 1 }, "MaxOpenFiles");
    }

    private static IEnumerable<TestCaseData> BelowMinimum()
    {
        yield return new TestCaseData(new SandboxLimits { MemoryBytes = LimitMinimums.MemoryBytes - 1 }, "MemoryBytes");
        yield return new TestCaseData(new SandboxLimits { CpuCores = LimitMinimums.CpuCores / 2 }, "CpuCores");
        yield return new TestCaseData(new SandboxLimits { CpuCores = double.NaN }, "CpuCores");
        yield return new TestCaseData(new SandboxLimits { MaxProcesses = LimitMinimums.MaxProcesses - 1 }, "MaxProcesses");
        yield return new TestCaseData(new SandboxLimits { MaxOutputBytes = LimitMinimums.MaxOutputBytes - 1 }, "MaxOutputBytes");
        yield return new TestCaseData(new SandboxLimits { TmpSizeBytes = LimitMinimums.TmpSizeBytes - 1 }, "TmpSizeBytes");
        yield return new TestCaseData(new SandboxLimits { WorkspaceSizeBytes = LimitMinimums.WorkspaceSizeBytes - 1 }, "WorkspaceSizeBytes");
        yield return new TestCaseData(new SandboxLimits { MaxFileSizeBytes = LimitMinimums.MaxFileSizeBytes - 1 }, "MaxFileSizeBytes");
        yield return new TestCaseData(new SandboxLimits { MaxOpenFiles = LimitMinimums.MaxOpenFiles - 1 }, "MaxOpenFiles");
        yield return new TestCaseData(new SandboxLimits { MaxOpenFiles = -1 }, "MaxOpenFiles");
    }

    [TestCaseSource(nameof(AboveCeiling))]
    public void Resolve_LimitAboveCeiling_ThrowsOutOfRangeNamingIt(SandboxLimits requested, string limit)
    {
        Assert.That(
            () => LimitsValidator.Resolve(requested, Ceilings),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("request.Limits." + limit));
    }

    [TestCaseSource(nameof(BelowMinimum))]
    public void Resolve_LimitBelowMinimum_ThrowsOutOfRangeNamingIt(SandboxLimits requested, string limit)
    {
        Assert.That(
            () => LimitsValidator.Resolve(requested, Ceilings),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("request.Limits." + limit));
    }

    [Test]
    public void Resolve_NoLimits_TakesEveryCeiling()
    {
        var ceilings = new SandboxLimitOptions
        {
            MemoryBytes = 100L << 20, CpuCores = 0.5, MaxProcesses = 20, MaxOutputBytes = 2048,
            TmpSizeBytes = 2L << 20, WorkspaceSizeBytes = 3L << 20, MaxFileSizeBytes = 8192, MaxOpenFiles = 32,
        };

        var limits = LimitsValidator.Resolve(null, ceilings);

        Assert.That(limits, Is.EqualTo(new EffectiveLimits(100L << 20, 0.5, 20, 2048, 2L << 20, 3L << 20, 8192, 32)));
    }

    [Test]
    public void Resolve_LimitsAtTheirMinimums_AreKept()
    {
        var requested = new SandboxLimits
        {
            MemoryBytes = LimitMinimums.MemoryBytes, CpuCores = LimitMinimums.CpuCores, MaxProcesses = LimitMinimums.MaxProcesses,
            MaxOutputBytes = LimitMinimums.MaxOutputBytes, TmpSizeBytes = LimitMinimums.TmpSizeBytes,
            WorkspaceSizeBytes = LimitMinimums.WorkspaceSizeBytes, MaxFileSizeBytes = LimitMinimums.MaxFileSizeBytes,
            MaxOpenFiles = LimitMinimums.MaxOpenFiles,
        };

        var limits = LimitsValidator.Resolve(requested, Ceilings);

        Assert.That(limits, Is.EqualTo(new EffectiveLimits(
            LimitMinimums.MemoryBytes, LimitMinimums.CpuCores, LimitMinimums.MaxProcesses, LimitMinimums.MaxOutputBytes,
            LimitMinimums.TmpSizeBytes, LimitMinimums.WorkspaceSizeBytes, LimitMinimums.MaxFileSizeBytes, LimitMinimums.MaxOpenFiles)));
    }

    [Test]
    public void Resolve_OneLimitTightened_OthersTakeTheirCeilings()
    {
        var limits = LimitsValidator.Resolve(new SandboxLimits { MemoryBytes = 64L << 20 }, Ceilings);

        Assert.Multiple(() =>
        {
            Assert.That(limits.MemoryBytes, Is.EqualTo(64L << 20));
            Assert.That(limits.CpuCores, Is.EqualTo(Ceilings.CpuCores));
            Assert.That(limits.MaxProcesses, Is.EqualTo(Ceilings.MaxProcesses));
        });
    }
}
