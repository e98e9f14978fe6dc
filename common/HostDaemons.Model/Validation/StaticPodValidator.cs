using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>
/// The kubelet's rule for static pods (PreventStaticPodAPIReferences): a pod that runs without the API may not depend
/// on its objects, so a service account, Secrets and ConfigMaps are refused wherever the pod names them. Each
/// reference is an error at the field that makes it, worded as the kubelet words the list.
/// </summary>
internal static class StaticPodValidator
{
    public static void ValidateReferences(Pod pod, ValidationErrors errors)
    {
        var spec = pod.Spec;
        if (spec is null)
        {
            return;
        }

        var name = pod.Metadata?.Name ?? "";
        void Refuse(string path, string reference) =>
            errors.Forbidden(path, $"pod \"{name}\" has forbidden references to API objects: {reference}");

        if (spec.ServiceAccountName.Length > 0)
        {
            Refuse(spec.ServiceAccount == spec.ServiceAccountName ? "spec.serviceAccount" : "spec.serviceAccountName", $"ServiceAccount \"{spec.ServiceAccountName}\"");
        }

        for (var i = 0; i < spec.ImagePullSecrets.Count; i++)
        {
            Refuse($"spec.imagePullSecrets[{i}]", $"Secret \"{spec.ImagePullSecrets[i].Name}\"");
        }

        foreach (var (container, path) in spec.InitContainers.Select((c, i) => (c, $"spec.initContainers[{i}]"))
            .Concat(spec.Containers.Select((c, i) => (c, $"spec.containers[{i}]"))))
        {
            for (var i = 0; i < container.Env.Count; i++)
            {
                var source = container.Env[i].ValueFrom;
                if (source?.ConfigMapKeyRef is { } configMap)
                {
                    Refuse($"{path}.env[{i}].valueFrom.configMapKeyRef", $"ConfigMap \"{configMap.Name}\"");
                }

                if (source?.SecretKeyRef is { } secret)
                {
                    Refuse($"{path}.env[{i}].valueFrom.secretKeyRef", $"Secret \"{secret.Name}\"");
                }
            }

            for (var i = 0; i < container.EnvFrom.Count; i++)
            {
                if (container.EnvFrom[i].ConfigMapRef is { } configMap)
                {
                    Refuse($"{path}.envFrom[{i}].configMapRef", $"ConfigMap \"{configMap.Name}\"");
                }

                if (container.EnvFrom[i].SecretRef is { } secret)
                {
                    Refuse($"{path}.envFrom[{i}].secretRef", $"Secret \"{secret.Name}\"");
                }
            }
        }

        for (var i = 0; i < spec.Volumes.Count; i++)
        {
            var volume = spec.Volumes[i];
            var path = $"spec.volumes[{i}]";
            if (volume.ConfigMap is not null)
            {
                Refuse($"{path}.configMap", $"ConfigMap volume \"{volume.Name}\"");
            }

            if (volume.Secret is not null)
            {
                Refuse($"{path}.secret", $"Secret volume \"{volume.Name}\"");
            }

            var sources = volume.Projected?.Sources ?? [];
            for (var j = 0; j < sources.Count; j++)
            {
                var source = sources[j];
                var sourcePath = $"{path}.projected.sources[{j}]";
                if (source.ConfigMap is not null)
                {
                    Refuse($"{sourcePath}.configMap", $"configMap projected volume \"{volume.Name}\"");
                }

                if (source.Secret is not null)
                {
                    Refuse($"{sourcePath}.secret", $"secret projected volume \"{volume.Name}\"");
                }

                if (source.ServiceAccountToken is not null)
                {
                    Refuse($"{sourcePath}.serviceAccountToken", $"serviceAccountToken projected volume \"{volume.Name}\"");
                }
            }
        }
    }
}
