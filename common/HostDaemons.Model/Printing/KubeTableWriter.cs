using System.Text.Json.Nodes;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Printing;

/// <summary>
/// The <c>Table</c> kube-apiserver answers for <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>: the kind's
/// column definitions and one row per object, each row's <c>object</c> shaped by <see cref="IncludeObject"/>. A get by
/// name is a Table of one row; the list metadata then carries the object's resourceVersion.
/// </summary>
public static class KubeTableWriter
{
    public const string V1 = "meta.k8s.io/v1";
    public const string V1Beta1 = "meta.k8s.io/v1beta1";

    /// <summary>A list's Table. <paramref name="apiVersion"/> is <see cref="V1"/> or <see cref="V1Beta1"/>, as the client asked.</summary>
    public static JsonObject Build(ResourceKindInfo kind, IEnumerable<IKubeObject> items, string resourceVersion, string? continueToken, IncludeObject include,
        DateTimeOffset now, string apiVersion = V1, bool withColumns = true, long? remainingItemCount = null)
    {
        var metadata = new JsonObject();
        if (resourceVersion.Length > 0)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        if (!string.IsNullOrEmpty(continueToken))
        {
            metadata["continue"] = continueToken;
        }

        if (remainingItemCount is { } remaining)
        {
            metadata["remainingItemCount"] = remaining;
        }

        var rows = new JsonArray();
        foreach (var item in items)
        {
            rows.Add((JsonNode)Row(kind, item, include, now, apiVersion));
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = apiVersion,
            ["metadata"] = metadata,
            // The server leaves the definitions out (null) when it prints no headers: on watch events after the first.
            ["columnDefinitions"] = withColumns ? ColumnDefinitions(kind.Kind) : null,
            ["rows"] = rows,
        };
    }

    /// <summary>One object's Table (get by name, or a watch event's object), its resourceVersion in the Table's metadata.</summary>
    public static JsonObject BuildOne(ResourceKindInfo kind, IKubeObject item, IncludeObject include, DateTimeOffset now, string apiVersion = V1,
        bool withColumns = true) =>
        Build(kind, [item], item.Metadata.ResourceVersion, continueToken: null, include, now, apiVersion, withColumns);

    /// <summary>The kind's <c>columnDefinitions</c>, every field present as the server writes them.</summary>
    public static JsonArray ColumnDefinitions(ResourceKind kind)
    {
        var array = new JsonArray();
        foreach (var column in ResourceTables.Columns(kind))
        {
            array.Add((JsonNode)new JsonObject
            {
                ["name"] = column.Name,
                ["type"] = column.Type,
                ["format"] = column.Format,
                ["description"] = column.Description,
                ["priority"] = column.Priority,
            });
        }

        return array;
    }

    private static JsonObject Row(ResourceKindInfo kind, IKubeObject item, IncludeObject include, DateTimeOffset now, string apiVersion)
    {
        var cells = new JsonArray();
        foreach (var cell in ResourceTables.Cells(item, now))
        {
            cells.Add((JsonNode?)(cell switch
            {
                string text => JsonValue.Create(text),
                long number => JsonValue.Create(number),
                bool flag => JsonValue.Create(flag),
                _ => JsonValue.Create(ResourceTables.FormatCell(cell)),
            }));
        }

        var row = new JsonObject { ["cells"] = cells };
        if (Completed(item) is { } condition)
        {
            row["conditions"] = new JsonArray(condition);
        }

        row["object"] = include switch
        {
            IncludeObject.None => null,
            IncludeObject.Object => FullObject(kind, item),
            _ => new JsonObject
            {
                ["kind"] = "PartialObjectMetadata",
                ["apiVersion"] = apiVersion,
                ["metadata"] = ObjectEncoder.Encode(item.Metadata ?? new ObjectMeta()),
            },
        };
        return row;
    }

    private static JsonObject FullObject(ResourceKindInfo kind, IKubeObject item)
    {
        var encoded = ObjectEncoder.Encode(item);
        encoded["apiVersion"] = item.ApiVersion.Length > 0 ? item.ApiVersion : kind.ApiVersion;
        encoded["kind"] = item.Kind.Length > 0 ? item.Kind : kind.KindName;
        return encoded;
    }

    /// <summary>The server marks a finished pod's row Completed (printPod's row conditions).</summary>
    private static JsonObject? Completed(IKubeObject item) => item is Pod { Status.Phase: "Succeeded" or "Failed" } pod
        ? new JsonObject
        {
            ["type"] = "Completed",
            ["status"] = "True",
            ["reason"] = pod.Status.Phase,
            ["message"] = pod.Status.Phase == "Succeeded" ? "The pod has completed successfully." : "The pod failed.",
        }
        : null;
}
