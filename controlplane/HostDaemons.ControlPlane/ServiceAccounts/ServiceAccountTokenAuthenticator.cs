using System.Collections.Concurrent;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.Security;

namespace HostDaemons.ControlPlane.ServiceAccounts;

/// <summary>
/// Bearer tokens that are service account JWTs: the signature, issuer, audience and time are checked once per token
/// and remembered (a signature check costs far more than a request should); that the service account and the bound
/// pod still exist is checked on every request, against the in-memory store, so a token dies with them at once. The
/// store is reached lazily: the authenticator is built at start, before the store is loaded.
/// </summary>
internal sealed partial class ServiceAccountTokenAuthenticator(Lazy<ServiceAccountTokens> tokens, TimeProvider time, ILogger<ServiceAccountTokenAuthenticator> logger)
    : ITokenAuthenticator
{
    /// <summary>The most verified tokens remembered; past it the memory starts again.</summary>
    public const int CacheCapacity = 4096;

    public const string ServiceAccountsGroup = "system:serviceaccounts";

    private readonly ConcurrentDictionary<string, (ServiceAccountClaims Claims, CallerIdentity Identity)> _verified = new(StringComparer.Ordinal);

    public ValueTask<CallerIdentity?> AuthenticateAsync(string token, CancellationToken cancellationToken) => ValueTask.FromResult(Authenticate(token));

    private CallerIdentity? Authenticate(string token)
    {
        if (_verified.TryGetValue(token, out var known))
        {
            if (time.GetUtcNow() > known.Claims.Expires + ServiceAccountToken.Leeway)
            {
                _verified.TryRemove(token, out _);
                return null;
            }
        }
        else
        {
            if (tokens.Value.Verify(token, out var problem) is not { } claims)
            {
                Log.Rejected(logger, problem ?? "");
                return null;
            }

            known = (claims, new CallerIdentity(claims.Subject, [ServiceAccountsGroup, $"{ServiceAccountsGroup}:{claims.Namespace}", ClusterIdentities.AuthenticatedGroup], AuthenticationMethod.BearerToken)
            {
                NotAfter = claims.Expires,
            });
            if (_verified.Count >= CacheCapacity)
            {
                _verified.Clear();
            }

            _verified[token] = known;
        }

        if (tokens.Value.Revoked(known.Claims) is { } revoked)
        {
            Log.Rejected(logger, revoked);
            return null;
        }

        return known.Identity;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1700, Level = LogLevel.Information, Message = "A service account token was refused: {Reason}")]
        public static partial void Rejected(ILogger logger, string reason);
    }
}

/// <summary>Kubernetes' union of token authenticators: the first that accepts a token decides.</summary>
internal sealed class UnionTokenAuthenticator(IReadOnlyList<ITokenAuthenticator> authenticators) : ITokenAuthenticator
{
    public IReadOnlyList<ITokenAuthenticator> Authenticators { get; } = authenticators;

    public async ValueTask<CallerIdentity?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        foreach (var authenticator in Authenticators)
        {
            if (await authenticator.AuthenticateAsync(token, cancellationToken).ConfigureAwait(false) is { } identity)
            {
                return identity;
            }
        }

        return null;
    }
}
