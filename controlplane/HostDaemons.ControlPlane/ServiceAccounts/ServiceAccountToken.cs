using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HostDaemons.ControlPlane.ServiceAccounts;

/// <summary>The object a token is bound to (a pod or a node): it dies with it.</summary>
internal readonly record struct BoundObject(string Name, string Uid);

/// <summary>
/// A bound service account token's claims, as Kubernetes writes them: <c>iss</c>, <c>sub</c>
/// (<c>system:serviceaccount:NS:NAME</c>), <c>aud</c>, <c>exp</c>, <c>iat</c>, <c>nbf</c>, <c>jti</c> and the
/// <c>kubernetes.io</c> claim naming the namespace, the service account, and the pod and node it is bound to.
/// </summary>
internal sealed record ServiceAccountClaims(
    string Issuer,
    IReadOnlyList<string> Audiences,
    string Namespace,
    BoundObject ServiceAccount,
    BoundObject? Pod,
    BoundObject? Node,
    DateTimeOffset IssuedAt,
    DateTimeOffset Expires,
    string Id)
{
    public const string UserPrefix = "system:serviceaccount:";

    public string Subject => $"{UserPrefix}{Namespace}:{ServiceAccount.Name}";
}

/// <summary>ES256 JSON Web Tokens: signing, and the checks of signature, issuer, audience and time.</summary>
internal static class ServiceAccountToken
{
    /// <summary>Clock skew allowed on <c>nbf</c> and <c>exp</c>, as Kubernetes' validator allows.</summary>
    public static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);

    public static string Sign(ServiceAccountClaims claims, ServiceAccountSigningKey key)
    {
        var header = new JsonObject { ["alg"] = "ES256", ["kid"] = key.KeyId };
        var kubernetes = new JsonObject { ["namespace"] = claims.Namespace };
        if (claims.Node is { } node)
        {
            kubernetes["node"] = Ref(node);
        }

        if (claims.Pod is { } pod)
        {
            kubernetes["pod"] = Ref(pod);
        }

        kubernetes["serviceaccount"] = Ref(claims.ServiceAccount);
        var payload = new JsonObject
        {
            ["aud"] = new JsonArray([.. claims.Audiences.Select(a => (JsonNode?)JsonValue.Create(a))]),
            ["exp"] = claims.Expires.ToUnixTimeSeconds(),
            ["iat"] = claims.IssuedAt.ToUnixTimeSeconds(),
            ["iss"] = claims.Issuer,
            ["jti"] = claims.Id,
            ["kubernetes.io"] = kubernetes,
            ["nbf"] = claims.IssuedAt.ToUnixTimeSeconds(),
            ["sub"] = claims.Subject,
        };
        var signed = Part(header) + "." + Part(payload);
        var signature = key.Key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signed + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>
    /// The claims of <paramref name="token"/> when it is ours: signed by <paramref name="key"/>, from
    /// <paramref name="issuer"/>, for one of <paramref name="audiences"/>, valid at <paramref name="now"/>. Null with
    /// the reason otherwise (a token that is not a JWT at all is not ours either: another authenticator's).
    /// </summary>
    public static ServiceAccountClaims? Verify(string token, ServiceAccountSigningKey key, string issuer, IReadOnlyCollection<string> audiences, DateTimeOffset now, out string? problem)
    {
        problem = null;
        var first = token.IndexOf('.', StringComparison.Ordinal);
        var last = token.LastIndexOf('.');
        if (first <= 0 || last <= first || token.IndexOf('.', first + 1) != last)
        {
            problem = "not a JWT";
            return null;
        }

        try
        {
            var header = JsonNode.Parse(Base64Url.DecodeFromChars(token.AsSpan(0, first))) as JsonObject;
            if ((string?)header?["alg"] != "ES256" || header?["kid"] is JsonValue kid && (string?)kid != key.KeyId)
            {
                problem = "not signed by this cluster's service account key";
                return null;
            }

            var signature = Base64Url.DecodeFromChars(token.AsSpan(last + 1));
            if (!key.Key.VerifyData(Encoding.ASCII.GetBytes(token, 0, last), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                problem = "invalid signature";
                return null;
            }

            var payload = JsonNode.Parse(Base64Url.DecodeFromChars(token.AsSpan(first + 1, last - first - 1))) as JsonObject
                ?? throw new FormatException("the payload is not an object");
            var claims = Read(payload);
            problem = claims.Issuer != issuer ? "wrong issuer"
                : !claims.Audiences.Any(audiences.Contains) ? "token audiences do not match the API server's"
                : now > claims.Expires + Leeway ? "token is expired"
                : now + Leeway < claims.IssuedAt ? "token is not valid yet"
                : claims.Subject != (string?)payload["sub"] ? "the subject does not match the kubernetes.io claim"
                : null;
            return problem is null ? claims : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or CryptographicException)
        {
            problem = "malformed token: " + ex.Message;
            return null;
        }
    }

    private static ServiceAccountClaims Read(JsonObject payload)
    {
        var kubernetes = payload["kubernetes.io"] as JsonObject ?? throw new FormatException("no kubernetes.io claim");
        var audiences = payload["aud"] switch
        {
            JsonArray array => array.Select(a => (string?)a ?? "").ToList(),
            JsonValue one => [(string?)one ?? ""],
            _ => [],
        };
        return new ServiceAccountClaims(
            (string?)payload["iss"] ?? "",
            audiences,
            (string?)kubernetes["namespace"] ?? throw new FormatException("no namespace"),
            RefOf(kubernetes["serviceaccount"]) ?? throw new FormatException("no service account"),
            RefOf(kubernetes["pod"]),
            RefOf(kubernetes["node"]),
            DateTimeOffset.FromUnixTimeSeconds((long?)payload["nbf"] ?? (long?)payload["iat"] ?? 0),
            DateTimeOffset.FromUnixTimeSeconds((long?)payload["exp"] ?? throw new FormatException("no exp")),
            (string?)payload["jti"] ?? "");
    }

    private static JsonObject Ref(BoundObject bound) => new() { ["name"] = bound.Name, ["uid"] = bound.Uid };

    private static BoundObject? RefOf(JsonNode? node) =>
        node is JsonObject o ? new BoundObject((string?)o["name"] ?? "", (string?)o["uid"] ?? "") : null;

    private static string Part(JsonObject value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
}
