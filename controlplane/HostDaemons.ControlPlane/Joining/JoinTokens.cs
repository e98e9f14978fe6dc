using System.Globalization;
using Google.Protobuf;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Security;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Joining;

/// <summary>A join token as the control plane keeps it: never the secret, only its hash.</summary>
internal sealed record StoredJoinToken(string Id, string SecretHash, DateTimeOffset Expires, string NodeName, string Description, DateTimeOffset Created)
{
    /// <summary>What the token may be used for (kubeadm's <c>usage-bootstrap-*</c> keys): joining, only.</summary>
    public static IReadOnlyList<string> Usages { get; } = ["authentication"];

    public bool IsExpired(DateTimeOffset now) => now >= Expires;
}

/// <summary>
/// The cluster's join tokens, kept as Kubernetes keeps bootstrap tokens: one Secret of type
/// <c>bootstrap.kubernetes.io/token</c> named <c>bootstrap-token-ID</c> in <c>kube-system</c>. Unlike Kubernetes, the
/// Secret holds the SHA-256 of the secret (<c>token-secret-sha256</c>), never the secret itself.
/// </summary>
internal sealed class JoinTokens(IObjectStore store, TimeProvider time)
{
    public const string Namespace = "kube-system";
    public const string SecretType = "bootstrap.kubernetes.io/token";
    public const string NamePrefix = "bootstrap-token-";
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromHours(24);

    private const string IdKey = "token-id";
    private const string HashKey = "token-secret-sha256";
    private const string ExpirationKey = "expiration";
    private const string NodeNameKey = "node-name";
    private const string DescriptionKey = "description";
    private const string UsageKey = "usage-bootstrap-authentication";

    /// <summary>Creates a token for the CA with <paramref name="caPin"/>; the returned <see cref="JoinToken"/> is the only copy of its secret.</summary>
    public async Task<(JoinToken Token, StoredJoinToken Stored)> CreateAsync(string caPin, TimeSpan ttl, string nodeName, string description, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        while (true)
        {
            var token = JoinToken.Generate(caPin);
            if (Find(token.Id) is not null)
            {
                continue;
            }

            var stored = new StoredJoinToken(token.Id, JoinToken.HashSecret(token.Secret), now + ttl, nodeName, description, now);
            await store.CreateAsync(ToSecret(stored), cancellationToken).ConfigureAwait(false);
            return (token, stored);
        }
    }

    public StoredJoinToken? Find(string id) =>
        JoinToken.IsId(id) && store.Get<Secret>(Namespace, NamePrefix + id) is { } secret ? FromSecret(secret) : null;

    /// <summary>Every token, soonest to expire first.</summary>
    public IReadOnlyList<StoredJoinToken> List() =>
        [.. store.List<Secret>(Namespace).Select(FromSecret).OfType<StoredJoinToken>().OrderBy(t => t.Expires).ThenBy(t => t.Id, StringComparer.Ordinal)];

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        JoinToken.IsId(id) && await store.DeleteAsync<Secret>(Namespace, NamePrefix + id, null, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Deletes the expired tokens; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = List().Where(t => t.IsExpired(now)).Select(t => t.Id).ToList();
        foreach (var id in expired)
        {
            await DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return expired;
    }

    private static Secret ToSecret(StoredJoinToken token)
    {
        var secret = new Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new ObjectMeta { Name = NamePrefix + token.Id, Namespace = Namespace },
            Type = SecretType,
        };
        secret.Data[IdKey] = ByteString.CopyFromUtf8(token.Id);
        secret.Data[HashKey] = ByteString.CopyFromUtf8(token.SecretHash);
        secret.Data[ExpirationKey] = ByteString.CopyFromUtf8(token.Expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        secret.Data[UsageKey] = ByteString.CopyFromUtf8("true");
        if (token.NodeName.Length > 0)
        {
            secret.Data[NodeNameKey] = ByteString.CopyFromUtf8(token.NodeName);
        }

        if (token.Description.Length > 0)
        {
            secret.Data[DescriptionKey] = ByteString.CopyFromUtf8(token.Description);
        }

        return secret;
    }

    private static StoredJoinToken? FromSecret(Secret secret)
    {
        if (secret.Type != SecretType || !secret.Metadata.Name.StartsWith(NamePrefix, StringComparison.Ordinal))
        {
            return null;
        }

        string Value(string key) => secret.Data.TryGetValue(key, out var value) ? value.ToStringUtf8() : "";
        var id = Value(IdKey);
        var hash = Value(HashKey);
        if (!JoinToken.IsId(id) || hash.Length == 0 || Value(UsageKey) != "true"
            || !DateTimeOffset.TryParse(Value(ExpirationKey), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expires))
        {
            // A bootstrap token written by hand with a plain secret, or a broken one: never accepted.
            return null;
        }

        var created = secret.Metadata.CreationTimestamp?.ToDateTimeOffset() ?? DateTimeOffset.MinValue;
        return new StoredJoinToken(id, hash, expires, Value(NodeNameKey), Value(DescriptionKey), created);
    }
}
