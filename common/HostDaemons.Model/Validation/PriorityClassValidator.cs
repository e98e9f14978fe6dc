using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>Kubernetes' PriorityClass default (preemptionPolicy) and ValidatePriorityClass and its update, with their messages.</summary>
public static class PriorityClassValidator
{
    /// <summary>A PriorityClass's and a pod's <c>preemptionPolicy</c>.</summary>
    internal static readonly string[] PreemptionPolicies = [SystemPriorityClasses.PreemptLowerPriority, "Never"];

    public static void ApplyDefaults(PriorityClass value)
    {
        ArgumentNullException.ThrowIfNull(value);
        ObjectValidator.ApplyTypeDefaults(value);
        if (!value.HasPreemptionPolicy)
        {
            value.PreemptionPolicy = SystemPriorityClasses.PreemptLowerPriority;
        }
    }

    /// <summary>
    /// Names starting with <c>system-</c> are the built-in classes' (with their values); others may not go above
    /// <see cref="SystemPriorityClasses.HighestUserDefinablePriority"/>.
    /// </summary>
    public static ValidationErrors Validate(PriorityClass value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new ValidationErrors();
        ObjectMetaValidator.Validate(value.Metadata, namespaced: false, "metadata", errors);
        var name = value.Metadata?.Name ?? "";
        if (name.StartsWith(SystemPriorityClasses.Prefix, StringComparison.Ordinal))
        {
            if (SystemProblem(value) is { } problem)
            {
                errors.Forbidden("metadata.name", $"priority class names with '{SystemPriorityClasses.Prefix}' prefix are reserved for system use only. error: {problem}");
            }
        }
        else if (value.Value > SystemPriorityClasses.HighestUserDefinablePriority)
        {
            errors.Forbidden("value", $"maximum allowed value of a user defined priority is {SystemPriorityClasses.HighestUserDefinablePriority}");
        }

        if (value.HasPreemptionPolicy)
        {
            if (value.PreemptionPolicy.Length == 0)
            {
                errors.Required("preemptionPolicy");
            }
            else if (!PreemptionPolicies.Contains(value.PreemptionPolicy))
            {
                errors.NotSupported("preemptionPolicy", value.PreemptionPolicy, PreemptionPolicies);
            }
        }

        return errors;
    }

    /// <summary>A class's value and preemption policy are fixed once it exists.</summary>
    public static ValidationErrors ValidateUpdate(PriorityClass updated, PriorityClass existing)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(existing);
        var errors = new ValidationErrors();
        if (updated.Value != existing.Value)
        {
            errors.Forbidden("value", "may not be changed in an update.");
        }

        if (updated.PreemptionPolicy != existing.PreemptionPolicy)
        {
            errors.Invalid("preemptionPolicy", updated.PreemptionPolicy, "field is immutable");
        }

        return errors;
    }

    /// <summary>Kubernetes' IsKnownSystemPriorityClass: why a <c>system-</c> class is not one of the built-in ones, or null.</summary>
    private static string? SystemProblem(PriorityClass value)
    {
        var name = value.Metadata.Name;
        if (SystemPriorityClasses.Find(name) is not { } known)
        {
            return $"{name} is not a known system priority class";
        }

        if (known.Value != value.Value)
        {
            return $"value of {name} PriorityClass must be {known.Value}";
        }

        return known.GlobalDefault != value.GlobalDefault ? $"globalDefault of {name} PriorityClass must be {(known.GlobalDefault ? "true" : "false")}" : null;
    }
}
