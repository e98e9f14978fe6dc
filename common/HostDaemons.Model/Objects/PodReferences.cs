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
    public static IReadOnlySet<string> ConfigMaps(PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var volume in spec.Volumes)
        {
            Add(names, volume.ConfigMap?.Name);
            foreach (var source in volume.Projected?.Sources ?? [])
            {
                Add(names, source.ConfigMap?.Name);
            }
        }

        foreach (var container in AllContainers(spec))
        {
            foreach (var env in container.Env)
            {
                Add(names, env.ValueFrom?.ConfigMapKeyRef?.Name);
            }

            foreach (var from in container.EnvFrom)
            {
                Add(names, from.ConfigMapRef?.Name);
            }
        }

        return names;
    }

    public static IReadOnlySet<string> Secrets(PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var volume in spec.Volumes)
        {
            Add(names, volume.Secret?.SecretName);
            foreach (var source in volume.Projected?.Sources ?? [])
            {
                Add(names, source.Secret?.Name);
            }
        }

        foreach (var container in AllContainers(spec))
        {
            foreach (var env in container.Env)
            {
                Add(names, env.ValueFrom?.SecretKeyRef?.Name);
            }

            foreach (var from in container.EnvFrom)
            {
                Add(names, from.SecretRef?.Name);
            }
        }

        return names;
    }

    /// <summary>True when the pod uses any ConfigMap or Secret (then its node asks for them).</summary>
    public static bool Any(PodSpec spec) => ConfigMaps(spec).Count > 0 || Secrets(spec).Count > 0;

    private static IEnumerable<Container> AllContainers(PodSpec spec) => spec.InitContainers.Concat(spec.Containers);

    private static void Add(SortedSet<string> names, string? name)
    {
        if (!string.IsNullOrEmpty(name))
        {
            names.Add(name);
        }
    }
}
