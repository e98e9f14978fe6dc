using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

public static class ObjectMetaValidator
{
    /// <summary>Kubernetes' ValidateObjectMeta. The name is a DNS-1123 subdomain, or a label where <paramref name="labelName"/> says so (namespaces).</summary>
    public static void Validate(ObjectMeta? metadata, bool namespaced, string path, ValidationErrors errors, bool labelName = false)
    {
        if (metadata is null || (metadata.Name.Length == 0 && metadata.GenerateName.Length == 0))
        {
            errors.Required($"{path}.name", "name or generateName is required");
            return;
        }

        if (labelName && metadata.Name.Length > 0 && !NameValidation.IsDns1123Label(metadata.Name))
        {
            errors.Invalid($"{path}.name", metadata.Name, metadata.Name.Length > 63 ? "must be no more than 63 characters" : NameValidation.Dns1123LabelMessage);
        }
        else if (metadata.Name.Length > 0 && !NameValidation.IsDns1123Subdomain(metadata.Name))
        {
            errors.Invalid($"{path}.name", metadata.Name, NameValidation.Dns1123SubdomainMessage);
        }

        if (namespaced && metadata.Namespace.Length > 0 && !NameValidation.IsDns1123Label(metadata.Namespace))
        {
            errors.Invalid($"{path}.namespace", metadata.Namespace, NameValidation.Dns1123LabelMessage);
        }

        if (!namespaced && metadata.Namespace.Length > 0)
        {
            errors.Forbidden($"{path}.namespace", "not allowed on this type");
        }

        NameValidation.ValidateLabels(metadata.Labels, $"{path}.labels", errors);
        NameValidation.ValidateAnnotationKeys(metadata.Annotations, $"{path}.annotations", errors);
    }
}
