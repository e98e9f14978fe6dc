using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>Defaults and validates any stored kind; the control plane and hdctl run the same rules.</summary>
public static class ObjectValidator
{
    public static void ApplyDefaults(IKubeObject value)
    {
        switch (value)
        {
            case DaemonSet ds:
                ObjectDefaults.Apply(ds);
                break;
            case Pod pod:
                pod.ApiVersion = ResourceKinds.Pod.ApiVersion;
                pod.Kind = ResourceKinds.Pod.KindName;
                pod.Metadata ??= new ObjectMeta();
                if (pod.Metadata.Namespace.Length == 0)
                {
                    pod.Metadata.Namespace = ObjectDefaults.DefaultNamespace;
                }

                pod.Spec ??= new PodSpec();
                ObjectDefaults.Apply(pod.Spec);
                ObjectDefaults.ApplyPodOnly(pod.Spec);
                break;
            case Node node:
                ApplyTypeDefaults(node);
                break;
            case Secret secret:
                SecretValidator.ApplyDefaults(secret);
                break;
            case Namespace ns:
                ApplyTypeDefaults(ns);
                NamespaceValidator.ApplyDefaults(ns);
                break;
            case Service service:
                ServiceValidator.ApplyDefaults(service);
                break;
            case PriorityClass priorityClass:
                PriorityClassValidator.ApplyDefaults(priorityClass);
                break;
            case RoleBinding binding:
                ApplyTypeDefaults(binding);
                RoleBindingValidator.ApplyDefaults(binding.RoleRef, binding.Subjects);
                break;
            case ClusterRoleBinding binding:
                ApplyTypeDefaults(binding);
                RoleBindingValidator.ApplyDefaults(binding.RoleRef, binding.Subjects);
                break;
            default:
                ApplyTypeDefaults(value);
                break;
        }
    }

    /// <summary>
    /// apiVersion, kind and the namespace: the default one for namespaced kinds, none for cluster-scoped ones (a
    /// namespace written on a ClusterRoleBinding is dropped, as the API server drops it): what every kind's defaults start with.
    /// </summary>
    internal static void ApplyTypeDefaults(IKubeObject value)
    {
        var info = ResourceKinds.Get(value.ResourceKind);
        value.Descriptor.FindFieldByName("api_version")?.Accessor.SetValue(value, info.ApiVersion);
        value.Descriptor.FindFieldByName("kind")?.Accessor.SetValue(value, info.KindName);
        value.Metadata ??= new ObjectMeta();
        if (!info.Namespaced)
        {
            value.Metadata.Namespace = "";
        }
        else if (value.Metadata.Namespace.Length == 0)
        {
            value.Metadata.Namespace = ObjectDefaults.DefaultNamespace;
        }
    }

    public static ValidationErrors Validate(IKubeObject value)
    {
        switch (value)
        {
            case DaemonSet ds:
                return DaemonSetValidator.Validate(ds);
            case Pod pod:
                // A Pod is validated here only as a static pod (or its mirror): daemon pods come from a validated template.
                var errors = new ValidationErrors();
                ObjectMetaValidator.Validate(pod.Metadata, namespaced: true, "metadata", errors);
                PodSpecValidator.Validate(pod.Spec, "spec", errors);
                if (pod.Spec?.HasActiveDeadlineSeconds == true)
                {
                    errors.Forbidden("spec.activeDeadlineSeconds", "not supported for static pods: a static pod runs until its manifest is removed");
                }

                StaticPodValidator.ValidateReferences(pod, errors);

                return errors;
            case Secret secret:
                return SecretValidator.Validate(secret);
            case Namespace ns:
                return NamespaceValidator.Validate(ns);
            case ConfigMap cm:
                return ConfigMapValidator.Validate(cm);
            case ServiceAccount sa:
                return ServiceAccountValidator.Validate(sa);
            case Role role:
                return RoleValidator.Validate(role);
            case ClusterRole role:
                return RoleValidator.Validate(role);
            case RoleBinding binding:
                return RoleBindingValidator.Validate(binding);
            case ClusterRoleBinding binding:
                return RoleBindingValidator.Validate(binding);
            case Service service:
                return ServiceValidator.Validate(service);
            case EndpointSlice slice:
                return EndpointSliceValidator.Validate(slice);
            case PriorityClass priorityClass:
                return PriorityClassValidator.Validate(priorityClass);
            default:
                var metaErrors = new ValidationErrors();
                ObjectMetaValidator.Validate(value.Metadata, ResourceKinds.Get(value.ResourceKind).Namespaced, "metadata", metaErrors);
                return metaErrors;
        }
    }

    /// <summary>
    /// The rules an update of <paramref name="existing"/> to <paramref name="updated"/> (both defaulted, of one kind)
    /// must follow besides <see cref="Validate"/>: the fields Kubernetes keeps immutable. Empty for kinds without such.
    /// </summary>
    public static ValidationErrors ValidateUpdate(IKubeObject updated, IKubeObject existing) => (updated, existing) switch
    {
        (Secret u, Secret e) => SecretValidator.ValidateUpdate(u, e),
        (ConfigMap u, ConfigMap e) => ConfigMapValidator.ValidateUpdate(u, e),
        (RoleBinding u, RoleBinding e) => RoleBindingValidator.ValidateUpdate(u.RoleRef, e.RoleRef),
        (ClusterRoleBinding u, ClusterRoleBinding e) => RoleBindingValidator.ValidateUpdate(u.RoleRef, e.RoleRef),
        (Service u, Service e) => ServiceValidator.ValidateUpdate(u, e),
        (PriorityClass u, PriorityClass e) => PriorityClassValidator.ValidateUpdate(u, e),
        _ => [],
    };
}
