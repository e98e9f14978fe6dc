using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>
/// Kubernetes' ValidateServiceAccount: the name is a DNS-1123 subdomain. As in Kubernetes, the <c>secrets</c> and
/// <c>imagePullSecrets</c> it lists are references checked where they are used (a pull skips a missing secret), not here.
/// </summary>
public static class ServiceAccountValidator
{
    /// <summary>The service account a pod runs as when it names none, and the one every namespace has.</summary>
    public const string DefaultName = "default";

    public static ValidationErrors Validate(ServiceAccount value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new ValidationErrors();
        ObjectMetaValidator.Validate(value.Metadata, namespaced: true, "metadata", errors);
        return errors;
    }
}
