using HostDaemons.Model.V1;

namespace HostDaemons.Model.Objects;

/// <summary>One place a pod names another API object: the field that does, and the object as the kubelet words it.</summary>
public readonly record struct PodApiReference(string Path, string Reference);

/// <summary>
/// Every reference a pod makes to API objects, in the order of its spec: its service account, image pull secrets,
/// ConfigMaps and Secrets in env and envFrom (init containers first), and configMap, secret, projected and service
/// account token volumes. A pod that runs without the API may hold none (the kubelet's PreventStaticPodAPIReferences),
/// and a node may create no mirror pod that holds one (NodeRestriction).
/// </summary>
public static class PodApiReferences
{
    public static IReadOnlyList<PodApiReference> Of(PodSpec? spec)
    {
        var found = new List<PodApiReference>();
        if (spec is null)
        {
            return found;
        }

        if (spec.ServiceAccountName.Length > 0)
        {
            var path = spec.ServiceAccount == spec.ServiceAccountName ? "spec.serviceAccount" : "spec.serviceAccountName";
            found.Add(new(path, $"ServiceAccount \"{spec.ServiceAccountName}\""));
        }

        for (var i = 0; i < spec.ImagePullSecrets.Count; i++)
        {
            found.Add(new($"spec.imagePullSecrets[{i}]", $"Secret \"{spec.ImagePullSecrets[i].Name}\""));
        }

        foreach (var (container, path) in spec.InitContainers.Select((c, i) => (c, $"spec.initContainers[{i}]"))
            .Concat(spec.Containers.Select((c, i) => (c, $"spec.containers[{i}]"))))
        {
            AddContainer(container, path, found);
        }

        for (var i = 0; i < spec.Volumes.Count; i++)
        {
            AddVolume(spec.Volumes[i], $"spec.volumes[{i}]", found);
        }

        return found;
    }

    private static void AddContainer(Container container, string path, List<PodApiReference> found)
    {
        for (var i = 0; i < container.Env.Count; i++)
        {
            var source = container.Env[i].ValueFrom;
            if (source?.ConfigMapKeyRef is { } configMap)
            {
                found.Add(new($"{path}.env[{i}].valueFrom.configMapKeyRef", $"ConfigMap \"{configMap.Name}\""));
            }

            if (source?.SecretKeyRef is { } secret)
            {
                found.Add(new($"{path}.env[{i}].valueFrom.secretKeyRef", $"Secret \"{secret.Name}\""));
            }
        }

        for (var i = 0; i < container.EnvFrom.Count; i++)
        {
            if (container.EnvFrom[i].ConfigMapRef is { } configMap)
            {
                found.Add(new($"{path}.envFrom[{i}].configMapRef", $"ConfigMap \"{configMap.Name}\""));
            }

            if (container.EnvFrom[i].SecretRef is { } secret)
            {
                found.Add(new($"{path}.envFrom[{i}].secretRef", $"Secret \"{secret.Name}\""));
            }
        }
    }

    private static void AddVolume(Volume volume, string path, List<PodApiReference> found)
    {
        if (volume.ConfigMap is not null)
        {
            found.Add(new($"{path}.configMap", $"ConfigMap volume \"{volume.Name}\""));
        }

        if (volume.Secret is not null)
        {
            found.Add(new($"{path}.secret", $"Secret volume \"{volume.Name}\""));
        }

        var sources = volume.Projected?.Sources ?? [];
        for (var j = 0; j < sources.Count; j++)
        {
            var source = sources[j];
            var sourcePath = $"{path}.projected.sources[{j}]";
            if (source.ConfigMap is not null)
            {
                found.Add(new($"{sourcePath}.configMap", $"configMap projected volume \"{volume.Name}\""));
            }

            if (source.Secret is not null)
            {
                found.Add(new($"{sourcePath}.secret", $"secret projected volume \"{volume.Name}\""));
            }

            if (source.ServiceAccountToken is not null)
            {
                found.Add(new($"{sourcePath}.serviceAccountToken", $"serviceAccountToken projected volume \"{volume.Name}\""));
            }
        }
    }
}
