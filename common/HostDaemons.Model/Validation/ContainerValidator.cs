using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>
/// Kubernetes' container rules: validateContainerCommon for every container, then validateContainers for the regular
/// ones and validateInitContainers for init containers, where only sidecars (restartPolicy Always) take hooks and probes.
/// </summary>
internal static class ContainerValidator
{
    private const string InitContainerFieldMessage = "may not be set for init containers without restartPolicy=Always";
    private static readonly string[] s_pullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] s_terminationMessagePolicies = ["File", "FallbackToLogsOnError"];
    private static readonly string[] s_mountPropagations = ["Bidirectional", "HostToContainer", "None"];

    public static void ValidateContainers(PodSpec spec, string path, PodContext pod, ValidationErrors errors)
    {
        if (spec.Containers.Count == 0)
        {
            errors.Required(path);
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Containers.Count; i++)
        {
            var container = spec.Containers[i];
            var containerPath = $"{path}[{i}]";
            ValidateCommon(container, containerPath, pod, errors);
            if (container.Name.Length > 0 && !names.Add(container.Name))
            {
                errors.Duplicate($"{containerPath}.name", container.Name);
            }

            HandlerValidator.ValidateLifecycle(container, $"{containerPath}.lifecycle", pod.GracePeriod, errors);
            HandlerValidator.ValidateProbes(container, containerPath, errors);
            if (container.RestartPolicy.Length > 0)
            {
                errors.Forbidden($"{containerPath}.restartPolicy", "may not be set for non-init containers");
            }

            if (spec.HostNetwork)
            {
                ContainerFieldsValidator.CheckHostNetworkPorts(container, containerPath, errors);
            }
        }

        ContainerFieldsValidator.CheckHostPorts(spec.Containers.Select((c, i) => (c, $"{path}[{i}]")), errors);
    }

    /// <summary>Init containers run one at a time, so each may use host ports the others use.</summary>
    public static void ValidateInitContainers(PodSpec spec, string path, PodContext pod, ValidationErrors errors)
    {
        var names = spec.Containers.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < spec.InitContainers.Count; i++)
        {
            var container = spec.InitContainers[i];
            var containerPath = $"{path}[{i}]";
            ValidateCommon(container, containerPath, pod, errors);
            if (container.RestartPolicy.Length > 0 && container.RestartPolicy != "Always")
            {
                errors.NotSupported($"{containerPath}.restartPolicy", container.RestartPolicy, "Always");
            }

            if (names.Contains(container.Name))
            {
                errors.Duplicate($"{containerPath}.name", container.Name);
            }
            else if (container.Name.Length > 0)
            {
                names.Add(container.Name);
            }

            ContainerFieldsValidator.CheckHostPorts([(container, containerPath)], errors);
            if (container.RestartPolicy == "Always")
            {
                HandlerValidator.ValidateLifecycle(container, $"{containerPath}.lifecycle", pod.GracePeriod, errors);
                HandlerValidator.ValidateProbes(container, containerPath, errors);
                continue;
            }

            foreach (var (field, value) in new (string, object?)[]
            {
                ("lifecycle", container.Lifecycle), ("livenessProbe", container.LivenessProbe), ("readinessProbe", container.ReadinessProbe),
                ("startupProbe", container.StartupProbe),
            })
            {
                if (value is not null)
                {
                    errors.Forbidden($"{containerPath}.{field}", InitContainerFieldMessage);
                }
            }
        }
    }

    private static void ValidateCommon(Container container, string path, PodContext pod, ValidationErrors errors)
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

        // Empty is not required here as in Kubernetes: a template stored before this default existed stays valid.
        if (container.TerminationMessagePolicy.Length > 0 && !s_terminationMessagePolicies.Contains(container.TerminationMessagePolicy))
        {
            errors.NotSupported($"{path}.terminationMessagePolicy", container.TerminationMessagePolicy, s_terminationMessagePolicies);
        }

        // The agent mounts the file there; Kubernetes leaves a bad path to the runtime.
        if (container.TerminationMessagePath.Length > 0 && !container.TerminationMessagePath.StartsWith('/'))
        {
            errors.Invalid($"{path}.terminationMessagePath", container.TerminationMessagePath, "must be an absolute path");
        }

        ContainerFieldsValidator.ValidatePorts(container, path, errors);
        EnvValidator.Validate(container, path, pod.ContainerNames, errors);
        ValidateMounts(container, path, pod.VolumeNames, errors);
        if (container.ImagePullPolicy.Length > 0 && !s_pullPolicies.Contains(container.ImagePullPolicy))
        {
            errors.NotSupported($"{path}.imagePullPolicy", container.ImagePullPolicy, s_pullPolicies);
        }

        ResourceRequirementsValidator.Validate(container.Resources, $"{path}.resources", errors);
        SecurityContextValidator.ValidateContainer(container, pod.Spec.SecurityContext, path, errors);
        ContainerFieldsValidator.ValidateTerminal(container, path, errors);
    }

    private static void ValidateMounts(Container container, string path, IReadOnlySet<string> volumeNames, ValidationErrors errors)
    {
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
            else if (!mountPaths.Add(mount.MountPath))
            {
                errors.Invalid($"{mountPath}.mountPath", mount.MountPath, "must be unique");
            }

            LocalPaths.CheckDescending(mount.SubPath, $"{mountPath}.subPath", errors);
            ValidateMountPropagation(mount, container, $"{mountPath}.mountPropagation", errors);
        }
    }

    /// <summary>validateMountPropagation: Bidirectional (rshared) lets a container change the host's mounts.</summary>
    private static void ValidateMountPropagation(VolumeMount mount, Container container, string path, ValidationErrors errors)
    {
        if (mount.MountPropagation.Length == 0)
        {
            return;
        }

        if (!s_mountPropagations.Contains(mount.MountPropagation))
        {
            errors.NotSupported(path, mount.MountPropagation, s_mountPropagations);
        }
        else if (mount.MountPropagation == "Bidirectional" && container.SecurityContext?.Privileged != true)
        {
            errors.Forbidden(path, "Bidirectional mount propagation is available only to privileged containers");
        }
    }
}
