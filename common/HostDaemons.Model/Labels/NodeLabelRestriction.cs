namespace HostDaemons.Model.Labels;

/// <summary>
/// The labels a node may set on its own Node, Kubernetes' NodeRestriction rule (<c>getForbiddenLabels</c> with the
/// kubelet's <c>IsKubeletLabel</c>) extended to HostDaemons' own namespace. A key's namespace is its prefix before
/// <c>/</c>; "under" a namespace means the namespace itself or a subdomain of it (<c>x.node.kubernetes.io</c>).
/// <list type="bullet">
/// <item>Under <c>node-restriction.kubernetes.io</c>: never. These labels are for the administrator to steer workloads
/// to nodes with, which a node must not be able to claim.</item>
/// <item>Under <c>kubernetes.io</c> or <c>k8s.io</c> (Kubernetes' reserved namespaces) and, likewise, under
/// <c>hostdaemons.io</c>: only the kubelet's labels — the keys in <see cref="AllowedKeys"/>, and keys under the
/// namespaces in <see cref="AllowedNamespaces"/>.</item>
/// <item>Any other key (<c>disk=ssd</c>, <c>example.com/rack</c>): allowed.</item>
/// </list>
/// </summary>
public static class NodeLabelRestriction
{
    /// <summary>The reserved keys the kubelet sets on its own Node (Kubernetes' <c>kubeletLabels</c>).</summary>
    public static IReadOnlyList<string> AllowedKeys { get; } =
    [
        "kubernetes.io/hostname",
        "kubernetes.io/os",
        "kubernetes.io/arch",
        "beta.kubernetes.io/os",
        "beta.kubernetes.io/arch",
        "beta.kubernetes.io/instance-type",
        "topology.kubernetes.io/region",
        "topology.kubernetes.io/zone",
        "failure-domain.beta.kubernetes.io/region",
        "failure-domain.beta.kubernetes.io/zone",
    ];

    /// <summary>The reserved namespaces a node may set any key under (Kubernetes' <c>kubeletLabelNamespaces</c>, and ours).</summary>
    public static IReadOnlyList<string> AllowedNamespaces { get; } = ["kubelet.kubernetes.io", "node.kubernetes.io", "node.hostdaemons.io"];

    private const string NodeRestrictionNamespace = "node-restriction.kubernetes.io";

    private static readonly string[] s_reservedNamespaces = ["kubernetes.io", "k8s.io", "hostdaemons.io"];

    /// <summary>The keys of <paramref name="keys"/> a node may not set on itself, sorted.</summary>
    public static IReadOnlyList<string> Forbidden(IEnumerable<string> keys) =>
        [.. keys.Where(k => !IsAllowed(k)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public static bool IsAllowed(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var ns = slash < 0 ? "" : key[..slash];
        if (IsUnder(ns, NodeRestrictionNamespace))
        {
            return false;
        }

        return !s_reservedNamespaces.Any(r => IsUnder(ns, r))
            || AllowedKeys.Contains(key, StringComparer.Ordinal)
            || AllowedNamespaces.Any(a => IsUnder(ns, a));
    }

    /// <summary>Says which labels a node may set, for the message that refuses one.</summary>
    public static string Rule =>
        $"a node may not set labels under {NodeRestrictionNamespace}, and under kubernetes.io, k8s.io and hostdaemons.io only {string.Join(", ", AllowedKeys)} "
        + $"and labels under {string.Join(", ", AllowedNamespaces)}";

    private static bool IsUnder(string ns, string parent) =>
        ns == parent || ns.EndsWith("." + parent, StringComparison.Ordinal);
}
