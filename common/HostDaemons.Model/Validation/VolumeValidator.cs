using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>Kubernetes' volume validation (ValidateVolumes, validateVolumeSource) for the sources HostDaemons mounts.</summary>
internal static class VolumeValidator
{
    private const string MoreThanOneType = "may not specify more than 1 volume type";
    private static readonly string[] s_hostPathTypes = ["", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"];

    /// <summary>Validates the volumes and returns the names mounts may refer to.</summary>
    public static HashSet<string> Validate(IList<Volume> volumes, string path, IReadOnlySet<string> containerNames, ValidationErrors errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < volumes.Count; i++)
        {
            var volume = volumes[i];
            var volumePath = $"{path}[{i}]";
            if (volume.Name.Length == 0)
            {
                errors.Required($"{volumePath}.name");
            }
            else if (!NameValidation.IsDns1123Label(volume.Name))
            {
                errors.Invalid($"{volumePath}.name", volume.Name, NameValidation.Dns1123LabelMessage);
            }
            else if (!names.Add(volume.Name))
            {
                errors.Duplicate($"{volumePath}.name", volume.Name);
            }

            ValidateSource(volume, volumePath, containerNames, errors);
        }

        return names;
    }

    /// <summary>Exactly one source, checked in Kubernetes' order: a second one is refused where it is written.</summary>
    private static void ValidateSource(Volume volume, string path, IReadOnlySet<string> containerNames, ValidationErrors errors)
    {
        var count = 0;
        Check("emptyDir", volume.EmptyDir, (source, p) => ValidateEmptyDir(source, p, errors));
        Check("hostPath", volume.HostPath, (source, p) => ValidateHostPath(source, p, errors));
        Check("secret", volume.Secret, (source, p) => ValidateSecret(source, p, errors));
        Check("downwardAPI", volume.DownwardApi, (source, p) => ValidateDownwardApi(source, p, containerNames, errors));
        Check("configMap", volume.ConfigMap, (source, p) => ValidateConfigMap(source, p, errors));
        Check("projected", volume.Projected, (source, p) => ValidateProjected(source, p, containerNames, errors));
        if (count == 0)
        {
            errors.Required(path, "must specify a volume type");
        }

        void Check<T>(string field, T? source, Action<T, string> validate)
            where T : class
        {
            if (source is null)
            {
                return;
            }

            if (count++ > 0)
            {
                errors.Forbidden($"{path}.{field}", MoreThanOneType);
            }
            else
            {
                validate(source, $"{path}.{field}");
            }
        }
    }

    private static void ValidateEmptyDir(EmptyDirVolumeSource emptyDir, string path, ValidationErrors errors)
    {
        if (emptyDir.Medium is not ("" or "Memory"))
        {
            errors.NotSupported($"{path}.medium", emptyDir.Medium, "", "Memory");
        }

        if (emptyDir.SizeLimit.Length > 0)
        {
            errors.Forbidden($"{path}.sizeLimit", "not supported: HostDaemons does not limit or evict on emptyDir size");
        }
    }

    private static void ValidateHostPath(HostPathVolumeSource hostPath, string path, ValidationErrors errors)
    {
        if (hostPath.Path.Length == 0)
        {
            errors.Required($"{path}.path");
        }
        else if (!hostPath.Path.StartsWith('/'))
        {
            errors.Invalid($"{path}.path", hostPath.Path, "must be an absolute path");
        }
        else
        {
            LocalPaths.CheckNoBacksteps(hostPath.Path, $"{path}.path", errors);
        }

        if (!s_hostPathTypes.Contains(hostPath.Type))
        {
            errors.NotSupported($"{path}.type", hostPath.Type, s_hostPathTypes);
        }
    }

    private static void ValidateSecret(SecretVolumeSource secret, string path, ValidationErrors errors)
    {
        if (secret.SecretName.Length == 0)
        {
            errors.Required($"{path}.secretName");
        }

        LocalPaths.CheckFileMode(secret.HasDefaultMode ? secret.DefaultMode : null, $"{path}.defaultMode", errors);
        ValidateItems(secret.Items, $"{path}.items", paths: null, errors);
    }

    private static void ValidateConfigMap(ConfigMapVolumeSource configMap, string path, ValidationErrors errors)
    {
        if (configMap.Name.Length == 0)
        {
            errors.Required($"{path}.name");
        }

        LocalPaths.CheckFileMode(configMap.HasDefaultMode ? configMap.DefaultMode : null, $"{path}.defaultMode", errors);
        ValidateItems(configMap.Items, $"{path}.items", paths: null, errors);
    }

    /// <summary>
    /// validateKeyToPath. Like Kubernetes, the key is only required: a key no ConfigMap or Secret can hold fails at mount
    /// time, and an optional source may lack it.
    /// </summary>
    private static void ValidateItems(IList<KeyToPath> items, string path, HashSet<string>? paths, ValidationErrors errors)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var itemPath = $"{path}[{i}]";
            if (item.Key.Length == 0)
            {
                errors.Required($"{itemPath}.key");
            }

            ValidateFilePath(item.Path, $"{itemPath}.path", paths, errors);
            LocalPaths.CheckFileMode(item.HasMode ? item.Mode : null, $"{itemPath}.mode", errors);
        }
    }

    /// <summary>A file's path in the volume; in a projected volume, also unique across its sources.</summary>
    private static void ValidateFilePath(string value, string path, HashSet<string>? paths, ValidationErrors errors)
    {
        if (value.Length == 0)
        {
            errors.Required(path);
            return;
        }

        LocalPaths.CheckNonReserved(value, path, errors);
        if (paths is not null && !paths.Add(value))
        {
            errors.Invalid(path, value, "conflicting duplicate paths");
        }
    }

    private static void ValidateDownwardApi(DownwardAPIVolumeSource downwardApi, string path, IReadOnlySet<string> containerNames, ValidationErrors errors)
    {
        LocalPaths.CheckFileMode(downwardApi.HasDefaultMode ? downwardApi.DefaultMode : null, $"{path}.defaultMode", errors);
        ValidateDownwardApiFiles(downwardApi.Items, $"{path}.items", paths: null, containerNames, errors);
    }

    private static void ValidateDownwardApiFiles(IList<DownwardAPIVolumeFile> files, string path, HashSet<string>? paths, IReadOnlySet<string> containerNames, ValidationErrors errors)
    {
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            var filePath = $"{path}[{i}]";
            ValidateFilePath(file.Path, $"{filePath}.path", paths, errors);
            if (file.FieldRef is { } field)
            {
                EnvValidator.CheckFieldSelector(field, $"{filePath}.fieldRef", EnvValidator.VolumeFieldPaths, errors);
                if (file.ResourceFieldRef is not null)
                {
                    errors.Invalid(filePath, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously");
                }
            }
            else if (file.ResourceFieldRef is { } resource)
            {
                EnvValidator.CheckResourceFieldSelector(resource, $"{filePath}.resourceFieldRef", inVolume: true, containerNames, errors);
            }
            else
            {
                errors.Required(filePath, "one of fieldRef and resourceFieldRef is required");
            }

            LocalPaths.CheckFileMode(file.HasMode ? file.Mode : null, $"{filePath}.mode", errors);
        }
    }

    private static void ValidateProjected(ProjectedVolumeSource projected, string path, IReadOnlySet<string> containerNames, ValidationErrors errors)
    {
        LocalPaths.CheckFileMode(projected.HasDefaultMode ? projected.DefaultMode : null, $"{path}.defaultMode", errors);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < projected.Sources.Count; i++)
        {
            var source = projected.Sources[i];
            var sourcePath = $"{path}.sources[{i}]";
            if (source.Secret is { } secret)
            {
                if (secret.Name.Length == 0)
                {
                    errors.Required($"{sourcePath}.secret.name");
                }

                ValidateItems(secret.Items, $"{sourcePath}.secret.items", paths, errors);
            }

            if (source.ConfigMap is { } configMap)
            {
                if (configMap.Name.Length == 0)
                {
                    errors.Required($"{sourcePath}.configMap.name");
                }

                ValidateItems(configMap.Items, $"{sourcePath}.configMap.items", paths, errors);
            }

            if (source.DownwardApi is { } downwardApi)
            {
                ValidateDownwardApiFiles(downwardApi.Items, $"{sourcePath}.downwardAPI.items", paths, containerNames, errors);
            }

            if (source.ServiceAccountToken is { } token)
            {
                // As Kubernetes words them: the lifetime's path is the source's, the file's is the volume's.
                var seconds = token.HasExpirationSeconds ? token.ExpirationSeconds : Objects.ObjectDefaults.DefaultTokenExpirationSeconds;
                if (seconds < 600)
                {
                    errors.Invalid($"{sourcePath}.serviceAccountToken.expirationSeconds", seconds, "may not specify a duration less than 10 minutes");
                }
                else if (seconds > 1L << 32)
                {
                    errors.Invalid($"{sourcePath}.serviceAccountToken.expirationSeconds", seconds, "may not specify a duration larger than 2^32 seconds");
                }

                if (token.Path.Length == 0)
                {
                    errors.Required($"{path}.path");
                }
                else
                {
                    LocalPaths.CheckNonReserved(token.Path, $"{path}.path", errors);
                }
            }

            if (new object?[] { source.Secret, source.ConfigMap, source.DownwardApi, source.ServiceAccountToken }.Count(s => s is not null) > 1)
            {
                errors.Forbidden(sourcePath, "may not specify more than 1 volume type per source");
            }
        }
    }
}
