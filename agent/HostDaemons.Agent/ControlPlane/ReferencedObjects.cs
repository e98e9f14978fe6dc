using HostDaemons.Model.V1;

namespace HostDaemons.Agent.ControlPlane;

/// <summary>
/// The ConfigMaps and Secrets one pod uses, by name, and its service account, as the control plane last gave them; a name it references but
/// that is not here does not exist. <see cref="Known"/> is false while the control plane has never answered for the
/// pod (then nothing can be said about any name). <see cref="Version"/> grows each time the content changes.
/// </summary>
internal sealed record ReferencedObjects(IReadOnlyDictionary<string, ConfigMap> ConfigMaps, IReadOnlyDictionary<string, Secret> Secrets, bool Known, long Version)
{
    private static readonly Dictionary<string, ConfigMap> s_noConfigMaps = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, Secret> s_noSecrets = new(StringComparer.Ordinal);

    /// <summary>A pod that references nothing, or whose objects are known not to exist.</summary>
    public static ReferencedObjects None { get; } = new(s_noConfigMaps, s_noSecrets, Known: true, Version: 0);

    /// <summary>The control plane never answered for this pod.</summary>
    public static ReferencedObjects Unknown { get; } = new(s_noConfigMaps, s_noSecrets, Known: false, Version: 0);

    /// <summary>The pod's service account (name, uid and automountServiceAccountToken), when it exists.</summary>
    public ServiceAccount? ServiceAccount { get; init; }

    public static ReferencedObjects From(IEnumerable<ConfigMap> configMaps, IEnumerable<Secret> secrets, long version, ServiceAccount? account = null) => new(
        configMaps.ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal),
        secrets.ToDictionary(s => s.Metadata.Name, StringComparer.Ordinal),
        Known: true,
        version) { ServiceAccount = account };

    /// <summary>The ConfigMap named <paramref name="name"/>; null when it does not exist and is optional.</summary>
    /// <exception cref="ObjectUnavailableException">It does not exist, or nothing is known, with the kubelet's message.</exception>
    public ConfigMap? FindConfigMap(string name, bool optional) => Find(ConfigMaps, name, optional, "configmap");

    /// <summary>The Secret named <paramref name="name"/>; null when it does not exist and is optional.</summary>
    /// <exception cref="ObjectUnavailableException">It does not exist, or nothing is known, with the kubelet's message.</exception>
    public Secret? FindSecret(string name, bool optional) => Find(Secrets, name, optional, "secret");

    /// <summary>True when both hold the same objects with the same content (versions aside).</summary>
    public bool SameContent(ReferencedObjects other) =>
        Known == other.Known && Same(ConfigMaps, other.ConfigMaps) && Same(Secrets, other.Secrets) && Equals(ServiceAccount, other.ServiceAccount);

    private T? Find<T>(IReadOnlyDictionary<string, T> objects, string name, bool optional, string kind)
        where T : class =>
        !Known ? throw new ObjectUnavailableException($"failed to sync {kind} cache: timed out waiting for the condition")
        : objects.TryGetValue(name, out var found) ? found
        : optional ? null
        : throw new ObjectUnavailableException($"{kind} \"{name}\" not found");

    private static bool Same<T>(IReadOnlyDictionary<string, T> a, IReadOnlyDictionary<string, T> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var other) && Equals(e.Value, other));
}
