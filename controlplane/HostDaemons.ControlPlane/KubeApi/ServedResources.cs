using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>A subresource as discovery lists it: <c>pods/eviction</c> answers with a <c>policy/v1</c> Eviction.</summary>
internal sealed record ServedSubresource(string Name, string Group, string Version, string Kind, IReadOnlyList<string> Verbs);

/// <summary>A resource the REST API serves, as discovery describes it.</summary>
internal sealed record ServedResource(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    IReadOnlyList<ServedSubresource> Subresources)
{
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}

/// <summary>Everything discovery announces: the stored kinds, and the reviews that are answered without being stored.</summary>
internal static class ServedResources
{
    private static readonly string[] s_readWrite = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>The kinds only HostDaemons creates (pods from DaemonSets and static manifests, nodes when agents register...).</summary>
    private static readonly string[] s_serverCreated = ["delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static IReadOnlyList<ServedResource> All { get; } = Build();

    public static IEnumerable<string> GroupVersions => All.Select(r => r.GroupVersion).Distinct();

    /// <summary>
    /// The stored version a served one stands for: itself, or for a deprecated alias (<c>rbac.authorization.k8s.io/v1beta1</c>)
    /// the version of its group that is stored (<c>rbac.authorization.k8s.io/v1</c>).
    /// </summary>
    public static string StoredVersionOf(string apiVersion)
    {
        if (!DeprecatedApiVersions.IsDeprecated(apiVersion))
        {
            return apiVersion;
        }

        var group = apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)];
        return ResourceKinds.All.FirstOrDefault(k => k.Group == group)?.ApiVersion ?? apiVersion;
    }

    private static List<ServedResource> Build()
    {
        var resources = new List<ServedResource>();
        foreach (var kind in ResourceKinds.All)
        {
            var slash = kind.ApiVersion.IndexOf('/', StringComparison.Ordinal);
            var version = slash < 0 ? kind.ApiVersion : kind.ApiVersion[(slash + 1)..];
            var serverCreated = kind.Kind is ResourceKind.Pod or ResourceKind.Node or ResourceKind.Event or ResourceKind.ControllerRevision or ResourceKind.EndpointSlice;
            var subresources = KubeRequest.SubresourcesOf(kind.Plural).Select(name => name switch
            {
                "status" => new ServedSubresource("status", kind.Group, version, kind.KindName, ["get", "patch", "update"]),
                "log" => new ServedSubresource("log", "", "v1", "Pod", ["get"]),
                "eviction" => new ServedSubresource("eviction", "policy", "v1", "Eviction", ["create"]),
                "token" => new ServedSubresource("token", "authentication.k8s.io", "v1", "TokenRequest", ["create"]),
                _ => throw new InvalidOperationException($"subresource {name} has no discovery entry"),
            }).ToList();
            resources.Add(new ServedResource(kind.Group, version, kind.Plural, kind.Singular, kind.KindName, kind.Namespaced,
                serverCreated ? s_serverCreated : s_readWrite, kind.ShortNames,
                kind.Kind is ResourceKind.Pod or ResourceKind.Service or ResourceKind.DaemonSet ? ["all"] : [], subresources));
        }

        // The deprecated versions, served as aliases of the stored one (objects are converted on the way in and out).
        foreach (var (group, version) in DeprecatedApiVersions.GroupVersions)
        {
            resources.AddRange(resources.Where(r => r.Group == group && r.Version != version).ToList()
                .Select(r => r with { Version = version, Subresources = [] }));
        }

        resources.Add(Review("authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview"));
        // The deprecated versions, served as aliases of the stored one (objects are converted on the way in and out).
        foreach (var (group, version) in DeprecatedApiVersions.GroupVersions)
        {
            resources.AddRange(resources.Where(r => r.Group == group && r.Version != version).ToList()
                .Select(r => r with { Version = version, Subresources = [] }));
        }

        resources.Add(Review("authorization.k8s.io", "selfsubjectrulesreviews", "SelfSubjectRulesReview"));
        resources.Add(Review("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview"));
        return resources;
    }

    private static ServedResource Review(string group, string plural, string kind) =>
        new(group, "v1", plural, "", kind, Namespaced: false, ["create"], [], [], []);
}
