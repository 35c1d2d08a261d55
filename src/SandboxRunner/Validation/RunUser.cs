using System.Globalization;

namespace SandboxRunner.Validation;

/// <summary>A numeric, non-root <c>uid:gid</c>.</summary>
internal readonly record struct RunUser(int Uid, int Gid)
{
    public static bool TryParse(string? value, out RunUser user)
    {
        user = default;
        var parts = value?.Split(':');
        if (parts is not { Length: 2 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var gid)
            || uid <= 0 || gid <= 0)
        {
            return false;
        }

        user = new RunUser(uid, gid);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Uid}:{Gid}");
}
