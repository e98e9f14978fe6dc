using System.Globalization;
using System.Text;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// The downward API's <c>fieldRef</c> paths, as the kubelet resolves them for env values and downwardAPI files:
/// name, namespace, uid, labels and annotations (whole, in the kubelet's <c>key="value"</c> format, or one by
/// <c>metadata.labels['key']</c>), and for env the node name, service account, host IP and pod IP.
/// </summary>
internal static class PodFieldPaths
{
    /// <summary>A field of the pod for an env value; an unknown path (refused by validation) gives an empty value.</summary>
    public static string EnvValue(Pod pod, string path, NodeContext node, string podIp) => path switch
    {
        "spec.nodeName" => node.NodeName,
        "spec.serviceAccountName" => pod.Spec.ServiceAccountName,
        "status.hostIP" or "status.hostIPs" => node.HostIp,
        "status.podIP" or "status.podIPs" => podIp,
        _ => TryMetadata(pod, path, out var value) ? value : "",
    };

    /// <summary>A field of the pod for a downwardAPI file: metadata only, as Kubernetes allows in volumes.</summary>
    public static string VolumeValue(Pod pod, string path) =>
        TryMetadata(pod, path, out var value) ? value : throw new InvalidOperationException($"unsupported fieldPath: {path}");

    /// <summary>The kubelet's FormatMap: one <c>key="value"</c> line per entry, sorted by key, values quoted as Go's %q.</summary>
    public static string FormatMap(IEnumerable<KeyValuePair<string, string>> map) =>
        string.Join('\n', map.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + "=" + GoQuote(e.Value)));

    /// <summary>Go's strconv.Quote: printable characters as they are, the rest escaped.</summary>
    public static string GoQuote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"':
                    quoted.Append("\\\"");
                    break;
                case '\\':
                    quoted.Append("\\\\");
                    break;
                case '\a':
                    quoted.Append("\\a");
                    break;
                case '\b':
                    quoted.Append("\\b");
                    break;
                case '\f':
                    quoted.Append("\\f");
                    break;
                case '\n':
                    quoted.Append("\\n");
                    break;
                case '\r':
                    quoted.Append("\\r");
                    break;
                case '\t':
                    quoted.Append("\\t");
                    break;
                case '\v':
                    quoted.Append("\\v");
                    break;
                case var c when IsPrint(rune):
                    quoted.Append(rune.ToString());
                    break;
                case < 0x80:
                    quoted.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
                    break;
                case < 0x10000:
                    quoted.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}");
                    break;
                default:
                    quoted.Append(CultureInfo.InvariantCulture, $"\\U{rune.Value:x8}");
                    break;
            }
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    private static bool IsPrint(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter
            or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol
            or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => true,
        _ => false,
    };

    private static bool TryMetadata(Pod pod, string path, out string value)
    {
        var meta = pod.Metadata;
        if (DownwardApiPaths.SplitSubscript(path) is (var field, var key))
        {
            IDictionary<string, string>? map = field switch
            {
                "metadata.labels" => meta.Labels,
                "metadata.annotations" => meta.Annotations,
                _ => null,
            };
            value = map is not null && map.TryGetValue(key, out var found) ? found : "";
            return map is not null;
        }

        string? result = path switch
        {
            "metadata.name" => meta.Name,
            "metadata.namespace" => meta.Namespace,
            "metadata.uid" => meta.Uid,
            "metadata.labels" => FormatMap(meta.Labels),
            "metadata.annotations" => FormatMap(meta.Annotations),
            _ => null,
        };
        value = result ?? "";
        return result is not null;
    }
}
