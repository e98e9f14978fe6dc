using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.ServiceAccounts;

/// <summary>
/// Issues bound service account tokens and decides whether one still stands: Kubernetes' TokenRequest semantics
/// (expiration at least 10 minutes, at most <see cref="MaxExpiration"/>; audiences default to the API server's) and its
/// validator's (the service account, and the pod or node the token is bound to, still exist with the uid it names).
/// </summary>
internal sealed class ServiceAccountTokens(ServiceAccountSigningKey key, string issuer, IObjectStore store, TimeProvider time)
{
    public const string DefaultIssuer = "https://kubernetes.default.svc.cluster.local";

    /// <summary>TokenRequest's default expiration.</summary>
    public static readonly TimeSpan DefaultExpiration = TimeSpan.FromHours(1);

    /// <summary>The shortest expiration Kubernetes accepts.</summary>
    public static readonly TimeSpan MinExpiration = TimeSpan.FromMinutes(10);

    /// <summary>Longer requests get this much, as Kubernetes' <c>--service-account-max-token-expiration</c> caps them.</summary>
    public static readonly TimeSpan MaxExpiration = TimeSpan.FromHours(48);

    public ServiceAccountSigningKey Key { get; } = key;

    public string Issuer { get; } = issuer;

    /// <summary>The audiences the API server accepts tokens for (Kubernetes' <c>--api-audiences</c> default: the issuer).</summary>
    public IReadOnlyList<string> ApiAudiences { get; } = [issuer];

    /// <summary>A token for <paramref name="account"/>, bound to <paramref name="pod"/> (and its node) when given.</summary>
    public (string Token, DateTimeOffset Expires) Issue(ServiceAccount account, IReadOnlyList<string> audiences, TimeSpan expiration, Pod? pod, Node? node)
    {
        var now = time.GetUtcNow();
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expires = issuedAt + (expiration > MaxExpiration ? MaxExpiration : expiration);
        var claims = new ServiceAccountClaims(
            Issuer,
            audiences.Count > 0 ? audiences : ApiAudiences,
            account.Metadata.Namespace,
            new BoundObject(account.Metadata.Name, account.Metadata.Uid),
            pod is null ? null : new BoundObject(pod.Metadata.Name, pod.Metadata.Uid),
            node is null ? null : new BoundObject(node.Metadata.Name, node.Metadata.Uid),
            issuedAt,
            expires,
            Guid.NewGuid().ToString());
        return (ServiceAccountToken.Sign(claims, Key), expires);
    }

    /// <summary>The claims of a token this API server accepts now, or null with the reason.</summary>
    public ServiceAccountClaims? Verify(string token, out string? problem) =>
        ServiceAccountToken.Verify(token, Key, Issuer, ApiAudiences, time.GetUtcNow(), out problem);

    /// <summary>
    /// Null when what the token names still exists; else why it no longer stands. Read from the in-memory store on
    /// every request, so a token dies with its service account or pod.
    /// </summary>
    public string? Revoked(ServiceAccountClaims claims)
    {
        var account = store.Get<ServiceAccount>(claims.Namespace, claims.ServiceAccount.Name);
        if (account is null || account.Metadata.Uid != claims.ServiceAccount.Uid || account.Metadata.DeletionTimestamp is not null)
        {
            return $"service account {claims.Namespace}/{claims.ServiceAccount.Name} (uid {claims.ServiceAccount.Uid}) no longer exists";
        }

        if (claims.Pod is { } bound && store.Get<Pod>(claims.Namespace, bound.Name)?.Metadata.Uid != bound.Uid)
        {
            return $"pod {claims.Namespace}/{bound.Name} (uid {bound.Uid}) no longer exists";
        }

        if (claims.Pod is null && claims.Node is { } boundNode && store.Get<Node>("", boundNode.Name)?.Metadata.Uid != boundNode.Uid)
        {
            return $"node {boundNode.Name} (uid {boundNode.Uid}) no longer exists";
        }

        return null;
    }
}
