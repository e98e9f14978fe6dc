using HostDaemons.Model.Quantities;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>The pod spec rules shared by DaemonSet templates and static pods.</summary>
public static class PodSpecValidator
{
    private static readonly string[] s_pullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] s_hostPathTypes = ["", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"];
    private static readonly string[] s_dnsPolicies = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];
    private static readonly string[] s_resourceNames = ["cpu", "memory"];
    private static readonly string[] s_tolerationOperators = ["Equal", "Exists"];
    private static readonly string[] s_taintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    public static void Validate(PodSpec? spec, string path, ValidationErrors errors)
    {
        if (spec is null)
        {
            errors.Required(path);
            return;
        }

        var volumeNames = ValidateVolumes(spec.Volumes, $"{path}.volumes", errors);
        if (spec.Containers.Count == 0)
        {
            errors.Required($"{path}.containers");
        }

        var containerNames = new HashSet<string>(StringComparer.Ordinal);
        var hostPorts = new HashSet<(int, string)>();
        for (var i = 0; i < spec.Containers.Count; i++)
        {
            var containerPath = $"{path}.containers[{i}]";
            var container = spec.Containers[i];
            if (container.Name.Length > 0 && !containerNames.Add(container.Name))
            {
                errors.Duplicate($"{containerPath}.name", container.Name);
            }

            ValidateContainer(container, containerPath, volumeNames, errors);
            ContainerFieldsValidator.Validate(container, containerPath, spec.HostNetwork, hostPorts, errors);
            var hasGroup = container.SecurityContext is { HasRunAsGroup: true, RunAsGroup: >= 0 and <= int.MaxValue }
                || spec.SecurityContext is { HasRunAsGroup: true, RunAsGroup: >= 0 and <= int.MaxValue };
            var hasUser = container.SecurityContext?.HasRunAsUser == true || spec.SecurityContext?.HasRunAsUser == true;
            if (hasGroup && !hasUser)
            {
                errors.Forbidden($"{containerPath}.securityContext.runAsGroup", "requires runAsUser (on the container or the pod): Docker sets a group only together with a user");
            }
        }

        foreach (var (key, value) in spec.NodeSelector)
        {
            if (NameValidation.CheckQualifiedName(key) is { } problem)
            {
                errors.Invalid($"{path}.nodeSelector", key, problem);
            }

            if (!NameValidation.IsLabelValue(value))
            {
                errors.Invalid($"{path}.nodeSelector", value, NameValidation.LabelValueMessage);
            }
        }

        if (spec.HasTerminationGracePeriodSeconds && spec.TerminationGracePeriodSeconds < 0)
        {
            errors.Invalid($"{path}.terminationGracePeriodSeconds", spec.TerminationGracePeriodSeconds, "must be greater than or equal to 0");
        }

        if (spec.DnsPolicy.Length > 0 && !s_dnsPolicies.Contains(spec.DnsPolicy))
        {
            errors.NotSupported($"{path}.dnsPolicy", spec.DnsPolicy, s_dnsPolicies);
        }

        ValidateDns(spec, path, errors);
        if (spec.SecurityContext is { } podSecurity)
        {
            ContainerFieldsValidator.ValidateIds(podSecurity.HasRunAsUser ? podSecurity.RunAsUser : null, podSecurity.HasRunAsGroup ? podSecurity.RunAsGroup : null, $"{path}.securityContext", errors);
            for (var i = 0; i < podSecurity.SupplementalGroups.Count; i++)
            {
                if (podSecurity.SupplementalGroups[i] is < 0 or > int.MaxValue)
                {
                    errors.Invalid($"{path}.securityContext.supplementalGroups[{i}]", podSecurity.SupplementalGroups[i], "must be between 0 and 2147483647, inclusive");
                }
            }
        }

        foreach (var (field, name) in new[] { ("serviceAccountName", spec.ServiceAccountName), ("serviceAccount", spec.ServiceAccount) })
        {
            if (name.Length > 0 && !NameValidation.IsDns1123Subdomain(name))
            {
                errors.Invalid($"{path}.{field}", name, NameValidation.Dns1123SubdomainMessage);
            }
        }

        for (var i = 0; i < spec.ImagePullSecrets.Count; i++)
        {
            if (spec.ImagePullSecrets[i].Name.Length == 0)
            {
                errors.Required($"{path}.imagePullSecrets[{i}].name");
            }
        }

        ValidateTolerations(spec.Tolerations, $"{path}.tolerations", errors);
        AffinityValidator.Validate(spec.Affinity, $"{path}.affinity", errors);
    }

    private static HashSet<string> ValidateVolumes(IList<Volume> volumes, string path, ValidationErrors errors)
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

            if (volume.HostPath is not null && volume.EmptyDir is not null)
            {
                errors.Forbidden($"{volumePath}.emptyDir", "may not specify more than 1 volume type");
                continue;
            }

            if (volume.EmptyDir is { } emptyDir)
            {
                if (emptyDir.Medium is not ("" or "Memory"))
                {
                    errors.NotSupported($"{volumePath}.emptyDir.medium", emptyDir.Medium, "", "Memory");
                }

                if (emptyDir.SizeLimit.Length > 0)
                {
                    errors.Forbidden($"{volumePath}.emptyDir.sizeLimit", "not supported: HostDaemons does not limit or evict on emptyDir size");
                }

                continue;
            }

            if (volume.HostPath is null)
            {
                errors.Required(volumePath, "must specify a volume type");
                continue;
            }

            if (volume.HostPath.Path.Length == 0)
            {
                errors.Required($"{volumePath}.hostPath.path");
            }
            else if (!volume.HostPath.Path.StartsWith('/'))
            {
                errors.Invalid($"{volumePath}.hostPath.path", volume.HostPath.Path, "must be an absolute path");
            }
            else if (volume.HostPath.Path.Split('/').Contains(".."))
            {
                errors.Invalid($"{volumePath}.hostPath.path", volume.HostPath.Path, "must not contain '..'");
            }

            if (!s_hostPathTypes.Contains(volume.HostPath.Type))
            {
                errors.NotSupported($"{volumePath}.hostPath.type", volume.HostPath.Type, s_hostPathTypes);
            }
        }

        return names;
    }

    private static void ValidateContainer(Container container, string path, HashSet<string> volumeNames, ValidationErrors errors)
    {
        if (container.Name.Length == 0)
        {
            errors.Required($"{path}.name");
        }
        else if (!NameValidation.IsDns1123Label(container.Name))
        {
            errors.Invalid($"{path}.name", container.Name, NameValidation.Dns1123LabelMessage);
        }

        if (container.Image.Trim().Length == 0)
        {
            errors.Required($"{path}.image");
        }
        else if (container.Image != container.Image.Trim())
        {
            errors.Invalid($"{path}.image", container.Image, "must not have leading or trailing whitespace");
        }

        if (container.ImagePullPolicy.Length > 0 && !s_pullPolicies.Contains(container.ImagePullPolicy))
        {
            errors.NotSupported($"{path}.imagePullPolicy", container.ImagePullPolicy, s_pullPolicies);
        }

        for (var i = 0; i < container.Env.Count; i++)
        {
            var name = container.Env[i].Name;
            if (name.Length == 0)
            {
                errors.Required($"{path}.env[{i}].name");
            }
            else if (!NameValidation.IsEnvVarName(name))
            {
                errors.Invalid($"{path}.env[{i}].name", name, NameValidation.EnvVarNameMessage);
            }

            ContainerFieldsValidator.ValidateEnvSource(container.Env[i], $"{path}.env[{i}]", errors);
        }

        var mountPaths = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < container.VolumeMounts.Count; i++)
        {
            var mount = container.VolumeMounts[i];
            var mountPath = $"{path}.volumeMounts[{i}]";
            if (mount.Name.Length == 0)
            {
                errors.Required($"{mountPath}.name");
            }
            else if (!volumeNames.Contains(mount.Name))
            {
                errors.NotFound($"{mountPath}.name", mount.Name);
            }

            if (mount.MountPath.Length == 0)
            {
                errors.Required($"{mountPath}.mountPath");
            }
            else if (!mount.MountPath.StartsWith('/'))
            {
                errors.Invalid($"{mountPath}.mountPath", mount.MountPath, "must be an absolute path");
            }

            if (mount.SubPath.StartsWith('/'))
            {
                errors.Invalid($"{mountPath}.subPath", mount.SubPath, "must be a relative path");
            }
            else if (mount.SubPath.Split('/').Contains(".."))
            {
                errors.Invalid($"{mountPath}.subPath", mount.SubPath, "must not contain '..'");
            }
            else if (!mountPaths.Add(mount.MountPath))
            {
                errors.Invalid($"{mountPath}.mountPath", mount.MountPath, "must be unique");
            }
        }

        ValidateResources(container.Resources, $"{path}.resources", errors);
    }

    private static void ValidateResources(ResourceRequirements? resources, string path, ValidationErrors errors)
    {
        if (resources is null)
        {
            return;
        }

        var limits = ValidateResourceList(resources.Limits, $"{path}.limits", errors);
        var requests = ValidateResourceList(resources.Requests, $"{path}.requests", errors);
        foreach (var (name, request) in requests)
        {
            if (limits.TryGetValue(name, out var limit) && request > limit)
            {
                errors.Invalid($"{path}.requests", resources.Requests[name], $"must be less than or equal to {name} limit of {resources.Limits[name]}");
            }
        }
    }

    private static Dictionary<string, decimal> ValidateResourceList(IDictionary<string, string> list, string path, ValidationErrors errors)
    {
        var parsed = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (name, text) in list)
        {
            if (!s_resourceNames.Contains(name))
            {
                errors.NotSupported($"{path}[{name}]", name, s_resourceNames);
                continue;
            }

            if (!Quantity.TryParse(text, out var value))
            {
                errors.Invalid($"{path}[{name}]", text, $"quantities {Quantity.FormatError}");
                continue;
            }

            if (value < 0)
            {
                errors.Invalid($"{path}[{name}]", text, "must be greater than or equal to 0");
                continue;
            }

            parsed[name] = value;
        }

        return parsed;
    }

    private static void ValidateDns(PodSpec spec, string path, ValidationErrors errors)
    {
        var config = spec.DnsConfig;
        if (spec.DnsPolicy == "None" && (config is null || config.Nameservers.Count == 0))
        {
            errors.Required($"{path}.dnsConfig.nameservers", "must provide at least one DNS nameserver when `dnsPolicy` is None");
        }

        if (config is null)
        {
            return;
        }

        if (config.Nameservers.Count > 3)
        {
            errors.Invalid($"{path}.dnsConfig.nameservers", string.Join(",", config.Nameservers), "must not have more than 3 nameservers");
        }

        for (var i = 0; i < config.Nameservers.Count; i++)
        {
            // Only the canonical form: .NET also reads "8.8.8" or "0x7f.0.0.1", which resolv.conf would not.
            var text = config.Nameservers[i];
            if (!System.Net.IPAddress.TryParse(text, out var address)
                || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0)
                || !string.Equals(address.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                errors.Invalid($"{path}.dnsConfig.nameservers[{i}]", text, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
        }

        for (var i = 0; i < config.Searches.Count; i++)
        {
            if (!NameValidation.IsDns1123Subdomain(config.Searches[i].TrimEnd('.')))
            {
                errors.Invalid($"{path}.dnsConfig.searches[{i}]", config.Searches[i], NameValidation.Dns1123SubdomainMessage);
            }
        }

        for (var i = 0; i < config.Options.Count; i++)
        {
            if (config.Options[i].Name.Length == 0)
            {
                errors.Required($"{path}.dnsConfig.options[{i}].name");
            }
        }
    }

    private static void ValidateTolerations(IList<Toleration> tolerations, string path, ValidationErrors errors)
    {
        for (var i = 0; i < tolerations.Count; i++)
        {
            var t = tolerations[i];
            var tPath = $"{path}[{i}]";
            if (t.Key.Length > 0 && NameValidation.CheckQualifiedName(t.Key) is { } problem)
            {
                errors.Invalid($"{tPath}.key", t.Key, problem);
            }

            if (t.Key.Length == 0 && t.Operator != "Exists")
            {
                errors.Invalid($"{tPath}.operator", t.Operator, "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
            }

            if (t.Operator.Length > 0 && !s_tolerationOperators.Contains(t.Operator))
            {
                errors.NotSupported($"{tPath}.operator", t.Operator, s_tolerationOperators);
            }

            if (t.Operator == "Exists" && t.Value.Length > 0)
            {
                errors.Invalid($"{tPath}.operator", t.Value, "value must be empty when `operator` is 'Exists'");
            }

            if (t.Effect.Length > 0 && !s_taintEffects.Contains(t.Effect))
            {
                errors.NotSupported($"{tPath}.effect", t.Effect, s_taintEffects);
            }

            if (t.HasTolerationSeconds && t.Effect != "NoExecute")
            {
                errors.Invalid($"{tPath}.effect", t.Effect, "effect must be 'NoExecute' when `tolerationSeconds` is set");
            }
        }
    }
}
