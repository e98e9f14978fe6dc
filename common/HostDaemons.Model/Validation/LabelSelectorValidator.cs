using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>The rules every label selector follows, wherever it stands (a DaemonSet's selector, an affinity term).</summary>
internal static class LabelSelectorValidator
{
    private static readonly string[] s_operators = ["In", "NotIn", "Exists", "DoesNotExist"];

    public static void Validate(LabelSelector selector, string path, ValidationErrors errors)
    {
        NameValidation.ValidateLabels(selector.MatchLabels, $"{path}.matchLabels", errors);
        for (var i = 0; i < selector.MatchExpressions.Count; i++)
        {
            var r = selector.MatchExpressions[i];
            var rPath = $"{path}.matchExpressions[{i}]";
            if (NameValidation.CheckQualifiedName(r.Key) is { } problem)
            {
                errors.Invalid($"{rPath}.key", r.Key, problem);
            }

            if (!s_operators.Contains(r.Operator))
            {
                errors.NotSupported($"{rPath}.operator", r.Operator, s_operators);
            }
            else if (r.Operator is "In" or "NotIn" && r.Values.Count == 0)
            {
                errors.Required($"{rPath}.values", "must be specified when `operator` is 'In' or 'NotIn'");
            }
            else if (r.Operator is "Exists" or "DoesNotExist" && r.Values.Count > 0)
            {
                errors.Forbidden($"{rPath}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
            }
        }
    }
}
