using System.Text.Json.Nodes;
using HostDaemons.Model.Labels;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Printing;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Printing;

/// <summary>Prints objects in every kubectl output format.</summary>
internal sealed class ResourcePrinter(OutputFormat format, bool withNamespace, bool showLabels, TimeProvider time)
{
    private readonly TableWriter _table = new();

    /// <summary>Prints a list (or one object, when <paramref name="single"/>), as <c>kubectl get</c> does.</summary>
    public void Print(ResourceKind kind, IReadOnlyList<IKubeObject> items, bool single, TextWriter output, bool header = true)
    {
        switch (format)
        {
            case OutputFormat.Yaml or OutputFormat.Json:
                JsonNode node = single && items.Count == 1 ? ObjectEncoder.Encode(items[0]) : ListNode(items);
                output.Write(format == OutputFormat.Yaml ? ManifestWriter.ToYaml(node) : ManifestWriter.ToJson(node));
                break;
            case OutputFormat.Name:
                foreach (var item in items)
                {
                    output.WriteLine(NameOf(item));
                }

                break;
            default:
                var table = _table;
                var wide = format == OutputFormat.Wide;
                if (header)
                {
                    table.AddRow(Decorate(ResourceTables.Header(kind, wide), "NAMESPACE", "LABELS"));
                }

                var now = time.GetUtcNow();
                foreach (var item in items)
                {
                    table.AddRow(Decorate(ResourceTables.Row(item, wide, now), item.Metadata.Namespace, LabelSelectors.FormatLabels(item.Metadata.Labels)));
                }

                table.WriteTo(output);
                break;
        }
    }

    /// <summary><c>daemonset.apps/name</c>, as <c>-o name</c> and apply's messages write it.</summary>
    public static string NameOf(IKubeObject value) => $"{ResourceKinds.Get(value.ResourceKind).QualifiedSingular}/{value.Metadata.Name}";

    private string[] Decorate(string[] row, string ns, string labels)
    {
        IEnumerable<string> cells = row;
        if (withNamespace)
        {
            cells = cells.Prepend(ns);
        }

        if (showLabels)
        {
            cells = cells.Append(labels);
        }

        return [.. cells];
    }

    private static JsonObject ListNode(IReadOnlyList<IKubeObject> items)
    {
        var array = new JsonArray();
        foreach (var item in items)
        {
            array.Add((JsonNode)ObjectEncoder.Encode(item));
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["items"] = array,
            ["kind"] = "List",
            ["metadata"] = new JsonObject { ["resourceVersion"] = "" },
        };
    }
}
