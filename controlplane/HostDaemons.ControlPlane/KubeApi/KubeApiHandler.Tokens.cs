using System.Globalization;
using System.Text.Json.Nodes;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.ServiceAccounts;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// TokenRequest (<c>serviceaccounts/NAME/token</c>, <c>kubectl create token</c>) and the service account issuer's
/// discovery documents (<c>/.well-known/openid-configuration</c>, <c>/openid/v1/jwks</c>).
/// </summary>
internal sealed partial class KubeApiHandler
{
    private async Task TokenRequestAsync(HttpContext http, KubeRequest request)
    {
        var body = ParseJson(await BodyAsync(http).ConfigureAwait(false)) as JsonObject ?? [];
        await KubeJson.WriteAsync(http, 201, IssueToken(request.Namespace, request.Name, body)).ConfigureAwait(false);
    }

    /// <summary>
    /// The TokenRequest answering <paramref name="body"/> (a TokenRequest as a JSON tree, whichever encoding it came
    /// in) for the service account <paramref name="ns"/>/<paramref name="name"/>: the body with <c>status.token</c> and
    /// <c>status.expirationTimestamp</c>.
    /// </summary>
    private JsonObject IssueToken(string ns, string name, JsonObject body)
    {
        var spec = body["spec"] as JsonObject ?? [];
        var account = store.Get<ServiceAccount>(ns, name) ?? throw ApiErrors.NotFound(ResourceKind.ServiceAccount, name);
        var seconds = spec["expirationSeconds"] is JsonValue value ? (long?)value ?? 3600 : (long)ServiceAccountTokens.DefaultExpiration.TotalSeconds;
        if (seconds < ServiceAccountTokens.MinExpiration.TotalSeconds || seconds > 1L << 32)
        {
            var reason = seconds < ServiceAccountTokens.MinExpiration.TotalSeconds ? "may not specify a duration less than 10 minutes" : "may not specify a duration larger than 2^32 seconds";
            var message = $"spec.expirationSeconds: Invalid value: {seconds}: {reason}";
            throw new KubeStatusException(new KubeStatus(422, "Invalid", $"TokenRequest.authentication.k8s.io \"{name}\" is invalid: {message}")
            {
                Details = new JsonObject { ["name"] = name, ["group"] = "authentication.k8s.io", ["kind"] = "TokenRequest" },
                Causes = [new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = $"Invalid value: {seconds}: {reason}", ["field"] = "spec.expirationSeconds" }],
            });
        }

        var audiences = spec["audiences"] is JsonArray list ? list.Select(a => (string?)a ?? "").Where(a => a.Length > 0).ToList() : [];
        Pod? pod = null;
        Node? node = null;
        if (spec["boundObjectReference"] is JsonObject bound)
        {
            (pod, node) = BoundTo(ns, name, bound);
        }

        var granted = Math.Min(seconds, (long)ServiceAccountTokens.MaxExpiration.TotalSeconds);
        var (token, expires) = serviceAccountTokens.Issue(account, audiences, TimeSpan.FromSeconds(granted), pod, node);
        spec["audiences"] = new JsonArray([.. (audiences.Count > 0 ? audiences : serviceAccountTokens.ApiAudiences).Select(a => (JsonNode?)JsonValue.Create(a))]);
        spec["expirationSeconds"] = granted;
        return new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = null },
            ["spec"] = spec.DeepClone(),
            ["status"] = new JsonObject
            {
                ["token"] = token,
                ["expirationTimestamp"] = expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            },
        };
    }

    /// <summary>The pod (and its node) or node a token is to be bound to, checked as Kubernetes checks it.</summary>
    private (Pod? Pod, Node? Node) BoundTo(string ns, string account, JsonObject reference)
    {
        var kind = (string?)reference["kind"] ?? "";
        var boundName = (string?)reference["name"] ?? "";
        var uid = (string?)reference["uid"] ?? "";
        switch (kind)
        {
            case "Pod":
                var pod = store.Get<Pod>(ns, boundName) ?? throw ApiErrors.NotFound(ResourceKind.Pod, boundName);
                CheckUid(kind, boundName, uid, pod.Metadata.Uid);
                var podAccount = pod.Spec?.ServiceAccountName is { Length: > 0 } named ? named : "default";
                if (podAccount != account)
                {
                    throw new KubeStatusException(KubeStatus.BadRequest($"cannot bind token for serviceaccount \"{account}\" to pod running with different serviceaccount name."));
                }

                return (pod, pod.Spec?.NodeName is { Length: > 0 } nodeName ? store.Get<Node>("", nodeName) : null);
            case "Node":
                var node = store.Get<Node>("", boundName) ?? throw ApiErrors.NotFound(ResourceKind.Node, boundName);
                CheckUid(kind, boundName, uid, node.Metadata.Uid);
                return (null, node);
            default:
                throw new KubeStatusException(KubeStatus.BadRequest($"cannot bind token to object of type {(string?)reference["apiVersion"] ?? ""}, Kind={kind}"));
        }
    }

    private static void CheckUid(string kind, string name, string requested, string actual)
    {
        if (requested.Length > 0 && requested != actual)
        {
            throw new KubeStatusException(new KubeStatus(409, "Conflict",
                $"Operation cannot be fulfilled on {kind} \"{name}\": the UID in the bound object reference ({requested}) does not match the UID in record. The object might have been deleted and then recreated"));
        }
    }

    /// <summary>
    /// The OpenID provider configuration of the service account issuer, as Kubernetes serves it: the keys are at this
    /// API server's own address (Kubernetes' default is its external address), which a verifier can reach.
    /// </summary>
    private JsonObject OpenIdConfiguration(HttpContext http) => new()
    {
        ["issuer"] = serviceAccountTokens.Issuer,
        ["jwks_uri"] = $"{http.Request.Scheme}://{http.Request.Host.Value}/openid/v1/jwks",
        ["response_types_supported"] = new JsonArray("id_token"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("ES256"),
    };

    private JsonObject Jwks() => new() { ["keys"] = new JsonArray(serviceAccountTokens.Key.Jwk()) };
}
