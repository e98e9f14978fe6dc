using HostDaemons.Model.Labels;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>
/// A pod's affinity, with Kubernetes' rules and messages (ValidateAffinity): node selector requirements and their
/// operators, matchFields on <c>metadata.name</c> only, weights from 1 to 100, pod affinity terms with a topology key.
/// One rule is HostDaemons' own: a Gt or Lt value must be an integer (Kubernetes accepts it and the term never matches).
/// </summary>
public static class AffinityValidator
{
    public static void Validate(Affinity? affinity, string path, ValidationErrors errors)
    {
        if (affinity is null)
        {
            return;
        }

        if (affinity.NodeAffinity is { } node)
        {
            var nodePath = $"{path}.nodeAffinity";
            if (node.RequiredDuringSchedulingIgnoredDuringExecution is { } required)
            {
                var termsPath = $"{nodePath}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
                if (required.NodeSelectorTerms.Count == 0)
                {
                    errors.Required(termsPath, "must have at least one node selector term");
                }

                for (var i = 0; i < required.NodeSelectorTerms.Count; i++)
                {
                    ValidateTerm(required.NodeSelectorTerms[i], $"{termsPath}[{i}]", errors);
                }
            }

            var preferred = node.PreferredDuringSchedulingIgnoredDuringExecution;
            for (var i = 0; i < preferred.Count; i++)
            {
                var termPath = $"{nodePath}.preferredDuringSchedulingIgnoredDuringExecution[{i}]";
                ValidateWeight(preferred[i].Weight, $"{termPath}.weight", errors);
                ValidateTerm(preferred[i].Preference ?? new NodeSelectorTerm(), $"{termPath}.preference", errors);
            }
        }

        if (affinity.PodAffinity is { } podAffinity)
        {
            ValidatePodTerms(podAffinity.RequiredDuringSchedulingIgnoredDuringExecution, podAffinity.PreferredDuringSchedulingIgnoredDuringExecution,
                $"{path}.podAffinity", errors);
        }

        if (affinity.PodAntiAffinity is { } podAntiAffinity)
        {
            ValidatePodTerms(podAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution, podAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution,
                $"{path}.podAntiAffinity", errors);
        }
    }

    private static void ValidateTerm(NodeSelectorTerm term, string path, ValidationErrors errors)
    {
        for (var i = 0; i < term.MatchExpressions.Count; i++)
        {
            ValidateExpression(term.MatchExpressions[i], $"{path}.matchExpressions[{i}]", errors);
        }

        for (var i = 0; i < term.MatchFields.Count; i++)
        {
            ValidateField(term.MatchFields[i], $"{path}.matchFields[{i}]", errors);
        }
    }

    private static void ValidateExpression(NodeSelectorRequirement requirement, string path, ValidationErrors errors)
    {
        switch (requirement.Operator)
        {
            case "In" or "NotIn":
                if (requirement.Values.Count == 0)
                {
                    errors.Required($"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'");
                }

                break;
            case "Exists" or "DoesNotExist":
                if (requirement.Values.Count > 0)
                {
                    errors.Forbidden($"{path}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                }

                break;
            case "Gt" or "Lt":
                if (requirement.Values.Count != 1)
                {
                    errors.Required($"{path}.values", "must be specified single value when `operator` is 'Lt' or 'Gt'");
                }
                else if (!NodeSelectorRequirements.IsInteger(requirement.Values[0]))
                {
                    errors.Invalid($"{path}.values[0]", requirement.Values[0], "must be an integer when `operator` is 'Lt' or 'Gt'");
                }

                break;
            default:
                errors.Invalid($"{path}.operator", requirement.Operator, "not a valid selector operator");
                break;
        }

        if (requirement.Operator is "In" or "NotIn")
        {
            for (var i = 0; i < requirement.Values.Count; i++)
            {
                if (!NameValidation.IsLabelValue(requirement.Values[i]))
                {
                    errors.Invalid($"{path}.values[{i}]", requirement.Values[i], NameValidation.LabelValueMessage);
                }
            }
        }

        if (NameValidation.CheckQualifiedName(requirement.Key) is { } problem)
        {
            errors.Invalid($"{path}.key", requirement.Key, problem);
        }
    }

    private static void ValidateField(NodeSelectorRequirement requirement, string path, ValidationErrors errors)
    {
        if (requirement.Operator is "In" or "NotIn")
        {
            if (requirement.Values.Count != 1)
            {
                errors.Required($"{path}.values", "must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
            }
        }
        else
        {
            errors.Invalid($"{path}.operator", requirement.Operator, "not a valid selector operator");
        }

        if (requirement.Key != NodeSelectorRequirements.NameField)
        {
            errors.Invalid($"{path}.key", requirement.Key, "not a valid field selector key");
            return;
        }

        for (var i = 0; i < requirement.Values.Count; i++)
        {
            if (!NameValidation.IsDns1123Subdomain(requirement.Values[i]))
            {
                errors.Invalid($"{path}.values[{i}]", requirement.Values[i], NameValidation.Dns1123SubdomainMessage);
            }
        }
    }

    private static void ValidatePodTerms(IList<PodAffinityTerm> required, IList<WeightedPodAffinityTerm> preferred, string path, ValidationErrors errors)
    {
        for (var i = 0; i < required.Count; i++)
        {
            ValidatePodTerm(required[i], $"{path}.requiredDuringSchedulingIgnoredDuringExecution[{i}]", errors);
        }

        for (var i = 0; i < preferred.Count; i++)
        {
            var termPath = $"{path}.preferredDuringSchedulingIgnoredDuringExecution[{i}]";
            ValidateWeight(preferred[i].Weight, $"{termPath}.weight", errors);
            ValidatePodTerm(preferred[i].PodAffinityTerm ?? new PodAffinityTerm(), $"{termPath}.podAffinityTerm", errors);
        }
    }

    private static void ValidatePodTerm(PodAffinityTerm term, string path, ValidationErrors errors)
    {
        if (term.LabelSelector is { } selector)
        {
            LabelSelectorValidator.Validate(selector, $"{path}.labelSelector", errors);
        }

        foreach (var ns in term.Namespaces)
        {
            if (!NameValidation.IsDns1123Label(ns))
            {
                // Kubernetes names the path "namespace", not "namespaces[i]".
                errors.Invalid($"{path}.namespace", ns, NameValidation.Dns1123LabelMessage);
            }
        }

        if (term.TopologyKey.Length == 0)
        {
            errors.Required($"{path}.topologyKey", "can not be empty");
        }
        else if (NameValidation.CheckQualifiedName(term.TopologyKey) is { } problem)
        {
            errors.Invalid($"{path}.topologyKey", term.TopologyKey, problem);
        }
    }

    private static void ValidateWeight(int weight, string path, ValidationErrors errors)
    {
        if (weight is <= 0 or > 100)
        {
            errors.Invalid(path, weight, "must be in the range 1-100");
        }
    }
}
