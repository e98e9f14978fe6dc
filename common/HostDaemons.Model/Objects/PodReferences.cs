using HostDaemons.Model.V1;

namespace HostDaemons.Model.Objects;

/// <summary>
/// The ConfigMaps and Secrets a pod uses, by name in its own namespace: configMap, secret and projected volumes,
/// <c>configMapKeyRef</c>, <c>secretKeyRef</c> and <c>envFrom</c> of every container, init containers included.
/// What the control plane may send to the pod's node, and what the node asks for. Image pull secrets are not
/// counted: their credentials travel on their own.
/// </summary>
public static class PodReferences
{
    public static IReadOnlySet<string> ConfigMaps(PodSpec spec) => Names(spec,
        v => v.ConfigMap?.Name, p => p.ConfigMap?.Name, e => e.ValueFrom?.ConfigMapKeyRef?.Name, f => f.ConfigMapRef?.Name);

    public static IReadOnlySet<string> Secrets(PodSpec spec) => Names(spec,
        v => v.Secret?.SecretName, p => p.Secret?.Name, e => e.ValueFrom?.SecretKeyRef?.Name, f => f.SecretRef?.Name);

    /// <summary>True when the pod uses any ConfigMap or Secret (then its node asks for them).</summary>
    public static bool Any(PodSpec spec) => ConfigMaps(spec).Count > 0 || Secrets(spec).Count > 0;

    private static SortedSet<string> Names(PodSpec spec, Func<Volume, string?> volume, Func<VolumeProjection, string?> projection, Func<EnvVar, string?> env,
        Func<EnvFromSource, string?> envFrom)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var containers = spec.InitContainers.Concat(spec.Containers).ToList();
        IEnumerable<string?> names = spec.Volumes.Select(volume)
            .Concat(spec.Volumes.SelectMany(v => v.Projected?.Sources ?? []).Select(projection))
            .Concat(containers.SelectMany(c => c.Env).Select(env))
            .Concat(containers.SelectMany(c => c.EnvFrom).Select(envFrom));
        return new SortedSet<string>(names.Where(n => !string.IsNullOrEmpty(n)).Select(n => n!), StringComparer.Ordinal);
    }
}
