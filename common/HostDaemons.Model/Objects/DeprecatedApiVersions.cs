namespace HostDaemons.Model.Objects;

/// <summary>
/// Older API versions still read as the current one, each with the deprecation warning the Kubernetes API server sends
/// for it (and kubectl prints): HostDaemons stores and serves only the current version.
/// </summary>
public static class DeprecatedApiVersions
{
    private static readonly Dictionary<string, (string DeprecatedIn, string RemovedIn)> s_versions = new(StringComparer.Ordinal)
    {
        ["rbac.authorization.k8s.io/v1beta1"] = ("1.17", "1.22"),
    };

    /// <summary>The older versions read as the current one of their group: <c>(rbac.authorization.k8s.io, v1beta1)</c>.</summary>
    public static IEnumerable<(string Group, string Version)> GroupVersions =>
        s_versions.Keys.Select(v => (v[..v.IndexOf('/', StringComparison.Ordinal)], v[(v.IndexOf('/', StringComparison.Ordinal) + 1)..]));

    /// <summary>Whether <paramref name="apiVersion"/> is one of the older versions.</summary>
    public static bool IsDeprecated(string apiVersion) => s_versions.ContainsKey(apiVersion);

    /// <summary>
    /// The warning for reading <paramref name="kind"/> written as <paramref name="apiVersion"/>, or null when that version is
    /// not an older one of the kind's group: <c>rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding is deprecated in
    /// v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 ClusterRoleBinding</c>.
    /// </summary>
    public static string? Warning(ResourceKindInfo kind, string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || kind.Group.Length == 0 || apiVersion[..slash] != kind.Group || !s_versions.TryGetValue(apiVersion, out var version))
        {
            return null;
        }

        return $"{apiVersion} {kind.KindName} is deprecated in v{version.DeprecatedIn}+, unavailable in v{version.RemovedIn}+; use {kind.ApiVersion} {kind.KindName}";
    }
}
