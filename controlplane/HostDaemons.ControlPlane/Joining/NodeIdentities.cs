using System.Globalization;
using Google.Protobuf;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Joining;

/// <summary>A certificate the CA issued to a node: its serial (upper-case hex) and end.</summary>
internal readonly record struct IssuedCertificate(string Serial, DateTimeOffset NotAfter);

/// <summary>What the control plane remembers about a node name: the key it is bound to, and its certificates.</summary>
internal sealed record NodeIdentity(string NodeName, string KeyHash, IReadOnlyList<IssuedCertificate> Certificates, IReadOnlyList<IssuedCertificate> Revoked)
{
    public bool IsBound => KeyHash.Length > 0;
}

/// <summary>
/// Node names bound to keys, and the certificates issued to each, as k3s keeps its node passwords: a Secret per name
/// in <c>kube-system</c> (<c>NAME.node-identity</c>, type <c>hostdaemons.io/node-identity</c>) holding the SHA-256 of
/// the bound public key and the serials issued and revoked. It outlives the Node object, so a deleted node's revoked
/// certificates stay revoked until they expire.
/// </summary>
internal sealed class NodeIdentities(IObjectStore store, TimeProvider time)
{
    public const string SecretType = "hostdaemons.io/node-identity";
    public const string NameSuffix = ".node-identity";

    private const string NodeNameKey = "node-name";
    private const string KeyHashKey = "public-key-sha256";
    private const string CertificatesKey = "certificates";
    private const string RevokedKey = "revoked";

    public static string SecretName(string nodeName) => nodeName + NameSuffix;

    public NodeIdentity? Find(string nodeName) =>
        store.Get<Secret>(JoinTokens.Namespace, SecretName(nodeName)) is { } secret ? FromSecret(secret) : null;

    /// <summary>Every identity's revoked certificates that have not yet expired.</summary>
    public IEnumerable<IssuedCertificate> AllRevoked() =>
        store.List<Secret>(JoinTokens.Namespace).Select(FromSecret).OfType<NodeIdentity>().SelectMany(i => i.Revoked);

    /// <summary>
    /// Binds the name to the key unless it is bound to another one and <paramref name="mayRebind"/> is false; returns
    /// false when refused. Atomic: of two joins racing for one name with different keys, one wins.
    /// </summary>
    public async Task<bool> TryBindAsync(string nodeName, string keyHash, bool mayRebind, CancellationToken cancellationToken)
    {
        var refused = false;
        var updated = await store.MutateAsync<Secret>(JoinTokens.Namespace, SecretName(nodeName), secret =>
        {
            var identity = FromSecret(secret) ?? new NodeIdentity(nodeName, "", [], []);
            if (identity.KeyHash == keyHash)
            {
                return false;
            }

            if (identity.IsBound && !mayRebind)
            {
                refused = true;
                return false;
            }

            Write(secret, identity with { KeyHash = keyHash });
            return true;
        }, cancellationToken).ConfigureAwait(false);
        if (updated is not null)
        {
            return !refused;
        }

        try
        {
            await store.CreateAsync(ToSecret(new NodeIdentity(nodeName, keyHash, [], [])), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ObjectAlreadyExistsException)
        {
            // Created by a join racing this one: decide again against what it wrote.
            return await TryBindAsync(nodeName, keyHash, mayRebind, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Remembers a certificate issued to the node (so deleting the node can revoke it); forgets expired ones.</summary>
    public Task RecordIssuedAsync(string nodeName, IssuedCertificate certificate, CancellationToken cancellationToken) =>
        store.MutateAsync<Secret>(JoinTokens.Namespace, SecretName(nodeName), secret =>
        {
            var identity = FromSecret(secret) ?? new NodeIdentity(nodeName, "", [], []);
            Write(secret, Prune(identity with { Certificates = [.. identity.Certificates, certificate] }));
            return true;
        }, cancellationToken);

    /// <summary>Forgets the key the name is bound to; returns whether it was bound.</summary>
    public async Task<bool> ResetAsync(string nodeName, CancellationToken cancellationToken)
    {
        var wasBound = false;
        await store.MutateAsync<Secret>(JoinTokens.Namespace, SecretName(nodeName), secret =>
        {
            var identity = FromSecret(secret);
            wasBound = identity?.IsBound == true;
            if (identity is null || !wasBound)
            {
                return false;
            }

            Write(secret, Prune(identity with { KeyHash = "" }));
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return wasBound;
    }

    /// <summary>Revokes every certificate issued to the name and frees the name; returns the certificates revoked now.</summary>
    public async Task<IReadOnlyList<IssuedCertificate>> RevokeAllAsync(string nodeName, CancellationToken cancellationToken)
    {
        IReadOnlyList<IssuedCertificate> revoked = [];
        await store.MutateAsync<Secret>(JoinTokens.Namespace, SecretName(nodeName), secret =>
        {
            var identity = FromSecret(secret);
            if (identity is null)
            {
                return false;
            }

            revoked = identity.Certificates;
            Write(secret, Prune(identity with { KeyHash = "", Certificates = [], Revoked = [.. identity.Revoked, .. identity.Certificates] }));
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return revoked;
    }

    private NodeIdentity Prune(NodeIdentity identity)
    {
        var now = time.GetUtcNow();
        return identity with
        {
            Certificates = [.. identity.Certificates.Where(c => c.NotAfter > now)],
            Revoked = [.. identity.Revoked.Where(c => c.NotAfter > now)],
        };
    }

    private static Secret ToSecret(NodeIdentity identity)
    {
        var secret = new Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new ObjectMeta { Name = SecretName(identity.NodeName), Namespace = JoinTokens.Namespace },
            Type = SecretType,
        };
        Write(secret, identity);
        return secret;
    }

    private static void Write(Secret secret, NodeIdentity identity)
    {
        secret.Data[NodeNameKey] = ByteString.CopyFromUtf8(identity.NodeName);
        secret.Data[KeyHashKey] = ByteString.CopyFromUtf8(identity.KeyHash);
        secret.Data[CertificatesKey] = ByteString.CopyFromUtf8(Format(identity.Certificates));
        secret.Data[RevokedKey] = ByteString.CopyFromUtf8(Format(identity.Revoked));
    }

    private static NodeIdentity? FromSecret(Secret secret)
    {
        if (secret.Type != SecretType)
        {
            return null;
        }

        string Value(string key) => secret.Data.TryGetValue(key, out var value) ? value.ToStringUtf8() : "";
        return new NodeIdentity(Value(NodeNameKey), Value(KeyHashKey), Parse(Value(CertificatesKey)), Parse(Value(RevokedKey)));
    }

    /// <summary>One certificate a line: <c>SERIAL NOT-AFTER-UNIX-SECONDS</c>.</summary>
    private static string Format(IEnumerable<IssuedCertificate> certificates) =>
        string.Concat(certificates.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Serial} {c.NotAfter.ToUnixTimeSeconds()}\n")));

    private static IReadOnlyList<IssuedCertificate> Parse(string text) =>
    [
        .. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length == 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            .Select(parts => new IssuedCertificate(parts[0], DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1], CultureInfo.InvariantCulture)))),
    ];
}
