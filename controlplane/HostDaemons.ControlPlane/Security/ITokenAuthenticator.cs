namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// Turns an <c>Authorization: Bearer</c> token into an identity. The seam for <c>--token-auth-file</c> (the RBAC
/// issue) and service account tokens: register an implementation and every TLS call carrying a token goes through it.
/// Tokens are only read over TLS; a plaintext development-mode call never needs one.
/// </summary>
internal interface ITokenAuthenticator
{
    /// <summary>The token's identity (with <see cref="AuthenticationMethod.BearerToken"/>), or null when the token is not valid.</summary>
    ValueTask<CallerIdentity?> AuthenticateAsync(string token, CancellationToken cancellationToken);
}

/// <summary>Until a token source exists, no token is valid.</summary>
internal sealed class NoTokenAuthenticator : ITokenAuthenticator
{
    public ValueTask<CallerIdentity?> AuthenticateAsync(string token, CancellationToken cancellationToken) => ValueTask.FromResult<CallerIdentity?>(null);
}
