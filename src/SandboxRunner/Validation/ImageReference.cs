using System.Text.RegularExpressions;

namespace SandboxRunner.Validation;

/// <summary>
/// A parsed image reference: <c>[registry/]repository[:tag][@digest]</c>, following the grammar of the
/// distribution reference format.
/// </summary>
internal sealed partial record ImageReference(string Original, string Registry, string Repository, string? Tag, string? Digest)
{
    private const string DefaultRegistry = "docker.io";

    /// <summary>Gets the repository with its registry as written, for pulling (for example <c>127.0.0.1:5000/x/py</c>).</summary>
    public string PullName => Registry == DefaultRegistry && !Original.StartsWith(DefaultRegistry + "/", StringComparison.Ordinal)
        ? Repository
        : Registry + "/" + Repository;

    /// <summary>Gets the tag or digest to pull.</summary>
    public string PullTag => Digest ?? Tag ?? "latest";

    public static bool TryParse(string? value, out ImageReference? reference)
    {
        reference = null;
        if (string.IsNullOrEmpty(value) || value.Length > 512)
        {
            return false;
        }

        var match = ReferencePattern().Match(value);
        if (!match.Success)
        {
            return false;
        }

        var name = match.Groups["name"].Value;
        var registry = DefaultRegistry;
        var repository = name;
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = name[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" || first.StartsWith('['))
            {
                if (!DomainPattern().IsMatch(first))
                {
                    return false;
                }

                registry = first;
                repository = name[(slash + 1)..];
            }
        }

        if (!RepositoryPattern().IsMatch(repository) || repository.Length > 255)
        {
            return false;
        }

        var tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null;
        var digest = match.Groups["digest"].Success ? match.Groups["digest"].Value : null;
        reference = new ImageReference(value, registry, repository, tag, digest);
        return true;
    }

    public override string ToString() => Original;

    // name: anything up to the optional :tag and @digest; checked component by component below.
    [GeneratedRegex(@"^(?<name>[^@\s]+?)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?))*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();
}
