using HostDaemons.Model.Quantities;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>
/// Kubernetes' ValidateContainerResourceRequirements: any standard container resource (cpu, memory, ephemeral-storage,
/// hugepages-*) or extended resource (<c>nvidia.com/gpu</c>). HostDaemons enforces cpu and memory; the others are
/// accepted with Kubernetes' rules and mean nothing on a host.
/// </summary>
internal static class ResourceRequirementsValidator
{
    private const string HugePagesPrefix = "hugepages-";

    private static readonly string[] s_containerResources = ["cpu", "memory", "ephemeral-storage"];

    /// <summary>Kubernetes' standard resource names (helper.IsStandardResourceName), for its "fully qualified" message.</summary>
    private static readonly string[] s_standardResources =
    [
        "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu",
        "limits.memory", "limits.ephemeral-storage", "pods", "resourcequotas", "services", "replicationcontrollers", "secrets",
        "configmaps", "persistentvolumeclaims", "storage", "requests.storage", "services.nodeports", "services.loadbalancers",
    ];

    public static void Validate(ResourceRequirements? resources, string path, ValidationErrors errors)
    {
        if (resources is null)
        {
            return;
        }

        var limits = ValidateList(resources.Limits, $"{path}.limits", errors);
        var requests = ValidateList(resources.Requests, $"{path}.requests", errors);
        foreach (var (name, request) in requests)
        {
            if (limits.TryGetValue(name, out var limit))
            {
                if (request != limit && !IsOvercommitAllowed(name))
                {
                    errors.Invalid($"{path}.requests", resources.Requests[name], $"must be equal to {name} limit of {resources.Limits[name]}");
                }
                else if (request > limit)
                {
                    errors.Invalid($"{path}.requests", resources.Requests[name], $"must be less than or equal to {name} limit of {resources.Limits[name]}");
                }
            }
            else if (!IsOvercommitAllowed(name))
            {
                errors.Required($"{path}.limits", "Limit must be set for non overcommitable resources");
            }
        }

        var names = resources.Limits.Keys.Concat(resources.Requests.Keys).ToList();
        if (names.Any(IsHugePages) && !names.Any(n => n is "cpu" or "memory"))
        {
            errors.Forbidden(path, "HugePages require cpu or memory");
        }
    }

    /// <summary>The valid quantities of the list by name.</summary>
    private static Dictionary<string, decimal> ValidateList(IDictionary<string, string> list, string path, ValidationErrors errors)
    {
        var parsed = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (name, text) in list)
        {
            var itemPath = $"{path}[{name}]";
            var nameErrors = errors.Count;
            ValidateName(name, itemPath, errors);
            if (!Quantity.TryParse(text, out var value))
            {
                errors.Invalid(itemPath, text, $"quantities {Quantity.FormatError}");
                continue;
            }

            if (value < 0)
            {
                errors.Invalid(itemPath, text, "must be greater than or equal to 0");
            }
            else if (IsExtended(name) && decimal.Truncate(value) != value)
            {
                errors.Invalid(itemPath, text, "must be an integer");
            }
            else if (IsHugePages(name) && !IsMultipleOfPageSize(name, value))
            {
                errors.Invalid(itemPath, text, $"{text} is not positive integer multiple of {name}");
            }
            else if (errors.Count == nameErrors)
            {
                parsed[name] = value;
            }
        }

        return parsed;
    }

    /// <summary>validateContainerResourceName: a standard container resource, or a qualified extended resource name.</summary>
    private static void ValidateName(string name, string path, ValidationErrors errors)
    {
        var problem = NameValidation.CheckQualifiedName(name);
        if (problem is not null)
        {
            errors.Invalid(path, name, problem);
        }

        if (!name.Contains('/', StringComparison.Ordinal))
        {
            if (problem is null && !s_standardResources.Contains(name) && !IsHugePages(name) && !name.StartsWith("requests.hugepages-", StringComparison.Ordinal))
            {
                errors.Invalid(path, name, "must be a standard resource type or fully qualified");
            }

            if (!s_containerResources.Contains(name) && !IsHugePages(name))
            {
                errors.Invalid(path, name, "must be a standard resource for containers");
            }
        }
        else if (!IsNative(name) && !IsExtended(name))
        {
            errors.Invalid(path, name, "doesn't follow extended resource name standard");
        }
    }

    private static bool IsHugePages(string name) => name.StartsWith(HugePagesPrefix, StringComparison.Ordinal);

    /// <summary>Unprefixed or in a kubernetes.io domain.</summary>
    private static bool IsNative(string name) => !name.Contains('/', StringComparison.Ordinal) || name.Contains("kubernetes.io/", StringComparison.Ordinal);

    private static bool IsExtended(string name) =>
        !IsNative(name) && !name.StartsWith("requests.", StringComparison.Ordinal) && NameValidation.CheckQualifiedName("requests." + name) is null;

    /// <summary>Requests below limits are allowed for native resources other than huge pages.</summary>
    private static bool IsOvercommitAllowed(string name) => IsNative(name) && !IsHugePages(name);

    private static bool IsMultipleOfPageSize(string name, decimal value) =>
        Quantity.TryParse(name[HugePagesPrefix.Length..], out var pageSize) && pageSize > 0 && value % pageSize == 0;
}
