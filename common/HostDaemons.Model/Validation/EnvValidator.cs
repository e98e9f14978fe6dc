using HostDaemons.Model.Objects;
using HostDaemons.Model.Quantities;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>
/// Kubernetes' ValidateEnv and ValidateEnvFrom, and the downward API selectors env and downwardAPI volumes share
/// (validateObjectFieldSelector, validateContainerResourceFieldSelector), with its messages.
/// </summary>
internal static class EnvValidator
{
    /// <summary>The fields an env var may read (validEnvDownwardAPIFieldPathExpressions), sorted as Kubernetes lists them.</summary>
    public static readonly string[] EnvFieldPaths =
    [
        "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP",
        "status.hostIPs", "status.podIP", "status.podIPs",
    ];

    /// <summary>The fields a downwardAPI file may hold (validVolumeDownwardAPIFieldPathExpressions), sorted.</summary>
    public static readonly string[] VolumeFieldPaths = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"];

    /// <summary>The field labels of a v1 pod the API knows at all (ConvertDownwardAPIFieldLabel); others fail to convert.</summary>
    private static readonly string[] s_knownFieldLabels =
    [
        "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
        "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs",
        "status.podIP", "status.podIPs", "spec.terminationGracePeriodSeconds", "spec.host",
    ];

    private static readonly string[] s_resources = ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"];
    private static readonly string[] s_hugePagesPrefixes = ["limits.hugepages-", "requests.hugepages-"];
    private static readonly decimal[] s_cpuDivisors = [0.001m, 1m];

    private static readonly decimal[] s_byteDivisors =
    [
        1m, 1e3m, 1e6m, 1e9m, 1e12m, 1e15m, 1e18m,
        1024m, 1024m * 1024, 1024m * 1024 * 1024, 1024m * 1024 * 1024 * 1024, 1024m * 1024 * 1024 * 1024 * 1024, 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
    ];

    private const string ByteDivisors = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei";

    public static void Validate(Container container, string path, IReadOnlySet<string> containerNames, ValidationErrors errors)
    {
        for (var i = 0; i < container.Env.Count; i++)
        {
            var env = container.Env[i];
            var envPath = $"{path}.env[{i}]";
            if (env.Name.Length == 0)
            {
                errors.Required($"{envPath}.name");
            }
            else if (!NameValidation.IsEnvVarName(env.Name))
            {
                errors.Invalid($"{envPath}.name", env.Name, NameValidation.EnvVarNameMessage);
            }

            ValidateValueFrom(env, $"{envPath}.valueFrom", containerNames, errors);
        }

        for (var i = 0; i < container.EnvFrom.Count; i++)
        {
            ValidateEnvFrom(container.EnvFrom[i], $"{path}.envFrom[{i}]", errors);
        }
    }

    private static void ValidateValueFrom(EnvVar env, string path, IReadOnlySet<string> containerNames, ValidationErrors errors)
    {
        if (env.ValueFrom is not { } source)
        {
            return;
        }

        if (source.FieldRef is { } field)
        {
            CheckFieldSelector(field, $"{path}.fieldRef", EnvFieldPaths, errors);
        }

        if (source.ResourceFieldRef is { } resource)
        {
            CheckResourceFieldSelector(resource, $"{path}.resourceFieldRef", inVolume: false, containerNames, errors);
        }

        if (source.ConfigMapKeyRef is { } configMapKey)
        {
            CheckKeySelector(configMapKey.Name, configMapKey.Key, $"{path}.configMapKeyRef", errors);
        }

        if (source.SecretKeyRef is { } secretKey)
        {
            CheckKeySelector(secretKey.Name, secretKey.Key, $"{path}.secretKeyRef", errors);
        }

        var sources = new object?[] { source.FieldRef, source.ResourceFieldRef, source.ConfigMapKeyRef, source.SecretKeyRef }.Count(s => s is not null);
        if (sources == 0)
        {
            errors.Invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
        }
        else if (env.Value.Length > 0)
        {
            errors.Invalid(path, "", "may not be specified when `value` is not empty");
        }
        else if (sources > 1)
        {
            errors.Invalid(path, "", "may not have more than one field specified at a time");
        }
    }

    private static void CheckKeySelector(string name, string key, string path, ValidationErrors errors)
    {
        if (!NameValidation.IsDns1123Subdomain(name))
        {
            errors.Invalid($"{path}.name", name, NameValidation.Dns1123SubdomainMessage);
        }

        if (key.Length == 0)
        {
            errors.Required($"{path}.key");
            return;
        }

        foreach (var problem in SecretValidator.CheckConfigKey(key))
        {
            errors.Invalid($"{path}.key", key, problem);
        }
    }

    private static void ValidateEnvFrom(EnvFromSource source, string path, ValidationErrors errors)
    {
        if (source.Prefix.Length > 0 && !NameValidation.IsEnvVarName(source.Prefix))
        {
            errors.Invalid($"{path}.prefix", source.Prefix, NameValidation.EnvVarNameMessage);
        }

        CheckSourceName(source.ConfigMapRef?.Name, $"{path}.configMapRef.name", errors);
        CheckSourceName(source.SecretRef?.Name, $"{path}.secretRef.name", errors);
        if (source.ConfigMapRef is null && source.SecretRef is null)
        {
            errors.Invalid(path, "", "must specify one of: `configMapRef` or `secretRef`");
        }
        else if (source.ConfigMapRef is not null && source.SecretRef is not null)
        {
            errors.Invalid(path, "", "may not have more than one field specified at a time");
        }
    }

    private static void CheckSourceName(string? name, string path, ValidationErrors errors)
    {
        if (name is null)
        {
            return;
        }

        if (name.Length == 0)
        {
            errors.Required(path);
        }
        else if (!NameValidation.IsDns1123Subdomain(name))
        {
            errors.Invalid(path, name, NameValidation.Dns1123SubdomainMessage);
        }
    }

    /// <summary>validateObjectFieldSelector: a known v1 field label the source may read, or a label or annotation by key.</summary>
    public static void CheckFieldSelector(ObjectFieldSelector field, string path, string[] expressions, ValidationErrors errors)
    {
        if (field.ApiVersion.Length == 0)
        {
            errors.Required($"{path}.apiVersion");
            return;
        }

        if (field.FieldPath.Length == 0)
        {
            errors.Required($"{path}.fieldPath");
            return;
        }

        if (field.ApiVersion != "v1")
        {
            errors.Invalid($"{path}.fieldPath", field.FieldPath, $"error converting fieldPath: unsupported pod version: {field.ApiVersion}");
            return;
        }

        if (DownwardApiPaths.SplitSubscript(field.FieldPath) is var (name, key))
        {
            switch (name)
            {
                case "metadata.annotations" when NameValidation.CheckQualifiedName(key.ToLowerInvariant()) is { } problem:
                    errors.Invalid(path, key.ToLowerInvariant(), problem);
                    break;
                case "metadata.labels" when NameValidation.CheckQualifiedName(key) is { } problem:
                    errors.Invalid(path, key, problem);
                    break;
                case "metadata.annotations" or "metadata.labels":
                    break;
                default:
                    errors.Invalid($"{path}.fieldPath", field.FieldPath, $"error converting fieldPath: field label does not support subscript: {field.FieldPath}");
                    break;
            }

            return;
        }

        if (!s_knownFieldLabels.Contains(field.FieldPath))
        {
            errors.Invalid($"{path}.fieldPath", field.FieldPath, $"error converting fieldPath: field label not supported: {field.FieldPath}");
            return;
        }

        // spec.host is the old name of spec.nodeName, converted before the check.
        var label = field.FieldPath == "spec.host" ? "spec.nodeName" : field.FieldPath;
        if (!expressions.Contains(label))
        {
            errors.NotSupported($"{path}.fieldPath", label, expressions);
        }
    }

    /// <summary>
    /// validateContainerResourceFieldSelector. An env var may leave the container out (its own); a file must name it.
    /// The named container must exist, which Kubernetes only finds out when the pod starts.
    /// </summary>
    public static void CheckResourceFieldSelector(ResourceFieldSelector resource, string path, bool inVolume, IReadOnlySet<string> containerNames, ValidationErrors errors)
    {
        if (inVolume && resource.ContainerName.Length == 0)
        {
            errors.Required($"{path}.containerName");
        }
        else if (resource.Resource.Length == 0)
        {
            errors.Required($"{path}.resource");
        }
        else if (!s_resources.Contains(resource.Resource) && !s_hugePagesPrefixes.Any(p => resource.Resource.StartsWith(p, StringComparison.Ordinal)))
        {
            errors.NotSupported($"{path}.resource", resource.Resource, s_resources);
        }

        if (resource.ContainerName.Length > 0 && !containerNames.Contains(resource.ContainerName))
        {
            errors.NotFound($"{path}.containerName", resource.ContainerName);
        }

        CheckDivisor(resource, path, errors);
    }

    private static void CheckDivisor(ResourceFieldSelector resource, string path, ValidationErrors errors)
    {
        if (resource.Divisor.Length == 0)
        {
            return;
        }

        if (!Quantity.TryParse(resource.Divisor, out var divisor))
        {
            errors.Invalid($"{path}.divisor", resource.Divisor, $"quantities {Quantity.FormatError}");
            return;
        }

        var name = resource.Resource;
        var (allowed, message) = name switch
        {
            _ when divisor == 0 => (null, ""),
            "limits.cpu" or "requests.cpu" => (s_cpuDivisors, "only divisor's values 1m and 1 are supported with the cpu resource"),
            "limits.memory" or "requests.memory" => (s_byteDivisors, $"only divisor's values {ByteDivisors} are supported with the memory resource"),
            "limits.ephemeral-storage" or "requests.ephemeral-storage" =>
                (s_byteDivisors, $"only divisor's values {ByteDivisors} are supported with the local ephemeral storage resource"),
            _ when s_hugePagesPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) =>
                (s_byteDivisors, $"only divisor's values {ByteDivisors} are supported with the hugepages resource"),
            _ => ((decimal[]?)null, ""),
        };
        if (allowed is not null && !allowed.Contains(divisor))
        {
            errors.Invalid($"{path}.divisor", name, message);
        }
    }
}
