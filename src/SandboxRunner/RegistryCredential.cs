namespace SandboxRunner;

/// <summary>
/// Credentials for pulling from one registry. Either <see cref="Username"/> and <see cref="Password"/>,
/// or <see cref="IdentityToken"/>.
/// </summary>
public sealed class RegistryCredential
{
    /// <summary>Gets or sets the user name.</summary>
    public string? Username { get; set; }

    /// <summary>Gets or sets the password or access token that goes with <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Gets or sets an identity (refresh) token issued by the registry, used instead of a password.</summary>
    public string? IdentityToken { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"RegistryCredential {{ Username = {Username}, Password = ***, IdentityToken = *** }}";
}
