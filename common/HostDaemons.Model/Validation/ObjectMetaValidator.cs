using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>The rule a kind's names follow, as each Kubernetes kind's ValidateXName says.</summary>
public enum ObjectNameRule
{
    /// <summary>Most kinds: a DNS-1123 subdomain.</summary>
    Dns1123Subdomain,

    /// <summary>Namespaces: a DNS-1123 label.</summary>
    Dns1123Label,

    /// <summary>Services: a DNS-1035 label (starts with a letter).</summary>
    Dns1035Label,

    /// <summary>RBAC roles and bindings: anything usable as a URL path segment (<c>system:node</c>).</summary>
    PathSegment,
}

public static class ObjectMetaValidator
{
    /// <summary>Kubernetes' ValidateObjectMeta, with the kind's name rule (most kinds': a DNS-1123 subdomain).</summary>
    public static void Validate(ObjectMeta? metadata, bool namespaced, string path, ValidationErrors errors, ObjectNameRule nameRule = ObjectNameRule.Dns1123Subdomain)
    {
        if (metadata is null || (metadata.Name.Length == 0 && metadata.GenerateName.Length == 0))
        {
            errors.Required($"{path}.name", "name or generateName is required");
            return;
        }

        if (metadata.Name.Length > 0)
        {
            foreach (var problem in NameProblems(metadata.Name, nameRule))
            {
                errors.Invalid($"{path}.name", metadata.Name, problem);
            }
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

    private static IEnumerable<string> NameProblems(string name, ObjectNameRule rule) => rule switch
    {
        ObjectNameRule.Dns1123Label when !NameValidation.IsDns1123Label(name) =>
            [name.Length > 63 ? "must be no more than 63 characters" : NameValidation.Dns1123LabelMessage],
        ObjectNameRule.Dns1123Subdomain when !NameValidation.IsDns1123Subdomain(name) => [NameValidation.Dns1123SubdomainMessage],
        ObjectNameRule.Dns1035Label => NameValidation.CheckDns1035Label(name),
        ObjectNameRule.PathSegment => NameValidation.CheckPathSegmentName(name),
        _ => [],
    };
}
