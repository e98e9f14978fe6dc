using HostDaemons.Model.Objects;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// A Kubernetes REST request as the API server's RequestInfo resolves it: the verb (<c>get</c>, <c>list</c>,
/// <c>watch</c>, <c>create</c>, <c>update</c>, <c>patch</c>, <c>delete</c>, <c>deletecollection</c>) on a kind, in a
/// namespace, by name, with a subresource.
/// </summary>
internal sealed record KubeRequest(string Verb, ResourceKindInfo Kind, string Namespace, string Name, string Subresource)
{
    /// <summary>The subresources served, per resource.</summary>
    private static readonly Dictionary<string, string[]> s_subresources = new(StringComparer.Ordinal)
    {
        ["pods"] = ["status", "log", "eviction"],
        ["daemonsets"] = ["status"],
        ["nodes"] = ["status"],
        ["namespaces"] = ["status"],
        ["services"] = ["status"],
        ["serviceaccounts"] = ["token"],
    };

    /// <summary>The group-version the request named: the kind's, or a deprecated alias of it (<c>rbac.authorization.k8s.io/v1beta1</c>).</summary>
    public string ServedApiVersion { get; init; } = Kind.ApiVersion;

    public static IReadOnlyList<string> SubresourcesOf(string plural) => s_subresources.TryGetValue(plural, out var names) ? names : [];

    /// <summary>
    /// Resolves <paramref name="segments"/> (the path after <c>/api/v1</c> or <c>/apis/GROUP/VERSION</c>); null when
    /// nothing is served there, with <paramref name="problem"/> saying what was not found.
    /// </summary>
    public static KubeRequest? Parse(string method, string apiVersion, IReadOnlyList<string> segments, bool watch, out string? problem)
    {
        problem = null;
        var ns = "";
        var rest = segments;
        if (segments.Count >= 3 && segments[0] == "namespaces" && Find(apiVersion, segments[2]) is { Namespaced: true })
        {
            ns = segments[1];
            rest = [.. segments.Skip(2)];
        }

        if (rest.Count is 0 or > 3 || Find(apiVersion, rest[0]) is not { } kind)
        {
            problem = rest.Count == 0 ? "" : rest[0];
            return null;
        }

        var name = rest.Count > 1 ? rest[1] : "";
        var subresource = rest.Count > 2 ? rest[2] : "";
        if (subresource.Length > 0 && !SubresourcesOf(kind.Plural).Contains(subresource))
        {
            problem = $"{kind.Plural}/{subresource}";
            return null;
        }

        if (kind.Namespaced && ns.Length == 0 && name.Length > 0)
        {
            // A namespaced object is only addressed inside its namespace.
            problem = kind.Plural;
            return null;
        }

        var verb = (method, name.Length > 0) switch
        {
            ("GET", true) => "get",
            ("GET", false) => watch ? "watch" : "list",
            ("POST", _) => "create",
            ("PUT", true) => "update",
            ("PATCH", true) => "patch",
            ("DELETE", true) => "delete",
            ("DELETE", false) => "deletecollection",
            _ => "",
        };
        if (verb == "create" && name.Length > 0 && subresource.Length == 0)
        {
            verb = "";
        }

        return new KubeRequest(verb, kind, ns, name, subresource);
    }

    /// <summary>The served kind with that plural in that group-version.</summary>
    public static ResourceKindInfo? Find(string apiVersion, string plural) =>
        ResourceKinds.All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Plural == plural);
}
