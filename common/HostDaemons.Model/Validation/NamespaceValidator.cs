using HostDaemons.Model.Objects;
using HostDaemons.Model.PodSecurity;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>Kubernetes' Namespace defaults (core/v1 and the namespace strategy) and validation (ValidateNamespace).</summary>
public static class NamespaceValidator
{
    /// <summary>The finalizer the namespace controller removes once the namespace is empty: the only one HostDaemons has.</summary>
    public const string KubernetesFinalizer = "kubernetes";

    /// <summary>The label Kubernetes puts on every namespace, holding its name, so selectors can pick namespaces by name.</summary>
    public const string NameLabel = "kubernetes.io/metadata.name";

    /// <summary>The <c>kubernetes.io/metadata.name</c> label, and the <c>kubernetes</c> finalizer when it is missing.</summary>
    public static void ApplyDefaults(Namespace value)
    {
        ArgumentNullException.ThrowIfNull(value);
        value.ApiVersion = ResourceKinds.Namespace.ApiVersion;
        value.Kind = ResourceKinds.Namespace.KindName;
        value.Metadata ??= new ObjectMeta();
        if (value.Metadata.Name.Length > 0)
        {
            value.Metadata.Labels[NameLabel] = value.Metadata.Name;
        }

        value.Spec ??= new NamespaceSpec();
        if (!value.Spec.Finalizers.Contains(KubernetesFinalizer))
        {
            value.Spec.Finalizers.Add(KubernetesFinalizer);
        }

        value.Status ??= new NamespaceStatus();
        if (value.Status.Phase.Length == 0)
        {
            value.Status.Phase = NamespacePhases.Active;
        }
    }

    /// <summary>
    /// The name is a DNS-1123 label; a finalizer other than <c>kubernetes</c> is refused, since nothing would ever remove
    /// it; the Pod Security labels name a level and a version (Kubernetes' PodSecurity admission refuses the others).
    /// </summary>
    public static ValidationErrors Validate(Namespace value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new ValidationErrors();
        ObjectMetaValidator.Validate(value.Metadata, namespaced: false, "metadata", errors, ObjectNameRule.Dns1123Label);
        if (value.Metadata is not null)
        {
            PodSecurityPolicy.ValidateLabels(value.Metadata.Labels, "metadata.labels", errors);
        }
        var finalizers = value.Spec?.Finalizers ?? [];
        for (var i = 0; i < finalizers.Count; i++)
        {
            if (finalizers[i] != KubernetesFinalizer)
            {
                errors.NotSupported($"spec.finalizers[{i}]", finalizers[i], KubernetesFinalizer);
            }
        }

        return errors;
    }
}
