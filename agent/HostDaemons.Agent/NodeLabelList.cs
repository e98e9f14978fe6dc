using HostDaemons.Model.Validation;

namespace HostDaemons.Agent;

/// <summary>The <c>--node-labels k=v,k2=v2</c> list.</summary>
internal static class NodeLabelList
{
    public static bool TryParse(string text, out Dictionary<string, string> labels, out string error)
    {
        labels = new Dictionary<string, string>(StringComparer.Ordinal);
        error = "";
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"\"{item}\" is not key=value";
                return false;
            }

            var (key, value) = (item[..equals], item[(equals + 1)..]);
            if (NameValidation.CheckQualifiedName(key) is { } problem)
            {
                error = $"label key \"{key}\": {problem}";
                return false;
            }

            if (!NameValidation.IsLabelValue(value))
            {
                error = $"label value \"{value}\": {NameValidation.LabelValueMessage}";
                return false;
            }

            labels[key] = value;
        }

        return true;
    }
}
