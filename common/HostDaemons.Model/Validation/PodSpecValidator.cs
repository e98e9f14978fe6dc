using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>The pod spec rules shared by DaemonSet templates and static pods.</summary>
public static class PodSpecValidator
{
    private static readonly string[] s_dnsPolicies = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];
    private static readonly string[] s_tolerationOperators = ["Equal", "Exists"];
    private static readonly string[] s_taintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    public static void Validate(PodSpec? spec, string path, ValidationErrors errors)
    {
        if (spec is null)
        {
            errors.Required(path);
            return;
        }

        var containerNames = spec.InitContainers.Concat(spec.Containers).Select(c => c.Name).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
        var volumeNames = VolumeValidator.Validate(spec.Volumes, $"{path}.volumes", containerNames, errors);
        var pod = new PodContext(spec, volumeNames, containerNames);
        ContainerValidator.ValidateContainers(spec, $"{path}.containers", pod, errors);
        ContainerValidator.ValidateInitContainers(spec, $"{path}.initContainers", pod, errors);

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

        SecurityContextValidator.ValidatePod(spec, path, errors);
        for (var i = 0; i < spec.ImagePullSecrets.Count; i++)
        {
            if (spec.ImagePullSecrets[i].Name.Length == 0)
            {
                errors.Required($"{path}.imagePullSecrets[{i}].name");
            }
        }

        AffinityValidator.Validate(spec.Affinity, $"{path}.affinity", errors);
        ValidateDns(spec, path, errors);
        for (var i = 0; i < spec.ReadinessGates.Count; i++)
        {
            if (NameValidation.CheckQualifiedName(spec.ReadinessGates[i].ConditionType) is { } problem)
            {
                errors.Invalid($"{path}.readinessGates[{i}].conditionType", spec.ReadinessGates[i].ConditionType, problem);
            }
        }

        foreach (var (field, name) in new[] { ("serviceAccountName", spec.ServiceAccountName), ("serviceAccount", spec.ServiceAccount) })
        {
            if (name.Length > 0 && !NameValidation.IsDns1123Subdomain(name))
            {
                errors.Invalid($"{path}.{field}", name, NameValidation.Dns1123SubdomainMessage);
            }
        }

        ValidateTolerations(spec.Tolerations, $"{path}.tolerations", errors);
        ValidateHostAliases(spec.HostAliases, $"{path}.hostAliases", errors);
        ValidateScheduling(spec, path, errors);
    }

    /// <summary>ValidateHostAliases: an address and the names /etc/hosts gives it.</summary>
    private static void ValidateHostAliases(IList<HostAlias> aliases, string path, ValidationErrors errors)
    {
        for (var i = 0; i < aliases.Count; i++)
        {
            if (!NameValidation.IsIpAddress(aliases[i].Ip))
            {
                errors.Invalid($"{path}[{i}].ip", aliases[i].Ip, NameValidation.IpAddressMessage);
            }

            for (var j = 0; j < aliases[i].Hostnames.Count; j++)
            {
                if (!NameValidation.IsDns1123Subdomain(aliases[i].Hostnames[j]))
                {
                    errors.Invalid($"{path}[{i}].hostnames[{j}]", aliases[i].Hostnames[j], NameValidation.Dns1123SubdomainMessage);
                }
            }
        }
    }

    /// <summary>
    /// The fields of a scheduler HostDaemons is: a priority class is a name (PriorityClass objects resolve it), and the
    /// scheduler's name a subdomain, which Kubernetes leaves to its scheduler's configuration.
    /// </summary>
    private static void ValidateScheduling(PodSpec spec, string path, ValidationErrors errors)
    {
        if (spec.PriorityClassName.Length > 0 && !NameValidation.IsDns1123Subdomain(spec.PriorityClassName))
        {
            errors.Invalid($"{path}.priorityClassName", spec.PriorityClassName, NameValidation.Dns1123SubdomainMessage);
        }

        if (spec.PreemptionPolicy.Length > 0 && !PriorityClassValidator.PreemptionPolicies.Contains(spec.PreemptionPolicy))
        {
            errors.NotSupported($"{path}.preemptionPolicy", spec.PreemptionPolicy, PriorityClassValidator.PreemptionPolicies);
        }

        if (spec.SchedulerName.Length > 0 && !NameValidation.IsDns1123Subdomain(spec.SchedulerName))
        {
            errors.Invalid($"{path}.schedulerName", spec.SchedulerName, NameValidation.Dns1123SubdomainMessage);
        }
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
            if (!NameValidation.IsIpAddress(config.Nameservers[i]))
            {
                errors.Invalid($"{path}.dnsConfig.nameservers[{i}]", config.Nameservers[i], NameValidation.IpAddressMessage);
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
