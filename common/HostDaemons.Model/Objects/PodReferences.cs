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
    public static IReadOnlySet<string> ConfigMaps(PodSpec spec) => new SortedSet<string>(ConfigMapNames(spec), StringComparer.Ordinal);

    public static IReadOnlySet<string> Secrets(PodSpec spec) => new SortedSet<string>(SecretNames(spec), StringComparer.Ordinal);

    /// <summary>
    /// True when the pod uses any ConfigMap or Secret (then its node asks for them). It stops at the first reference and
    /// builds no set: the agent asks at every reconcile pass.
    /// </summary>
    public static bool Any(PodSpec spec) => ConfigMapNames(spec).Any() || SecretNames(spec).Any();

    private static IEnumerable<string> ConfigMapNames(PodSpec spec) => Names(spec,
        v => v.ConfigMap?.Name, p => p.ConfigMap?.Name, e => e.ValueFrom?.ConfigMapKeyRef?.Name, f => f.ConfigMapRef?.Name);

    private static IEnumerable<string> SecretNames(PodSpec spec) => Names(spec,
        v => v.Secret?.SecretName, p => p.Secret?.Name, e => e.ValueFrom?.SecretKeyRef?.Name, f => f.SecretRef?.Name);

    private static IEnumerable<string> Names(PodSpec spec, Func<Volume, string?> volume, Func<VolumeProjection, string?> projection, Func<EnvVar, string?> env,
        Func<EnvFromSource, string?> envFrom)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var containers = spec.InitContainers.Concat(spec.Containers);
        return spec.Volumes.Select(volume)
            .Concat(spec.Volumes.SelectMany(v => v.Projected?.Sources ?? []).Select(projection))
            .Concat(containers.SelectMany(c => c.Env).Select(env))
            .Concat(containers.SelectMany(c => c.EnvFrom).Select(envFrom))
            .Where(n => !string.IsNullOrEmpty(n))
            .Select(n => n!);
    }
}
