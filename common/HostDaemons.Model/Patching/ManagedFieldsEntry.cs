using System.Globalization;
using System.Text.Json.Nodes;
using HostDaemons.Model.Serialization;

namespace HostDaemons.Model.Patching;

/// <summary>
/// One entry of <c>metadata.managedFields</c>: the fields a manager owns through one operation (<c>Apply</c> or
/// <c>Update</c>) at one API version, optionally of a subresource.
/// </summary>
public sealed record ManagedFieldsEntry(string Manager, string Operation, string ApiVersion, DateTimeOffset? Time, FieldSet Fields, string? Subresource = null)
{
    public const string ApplyOperation = "Apply";
    public const string UpdateOperation = "Update";

    /// <summary>Kubernetes' JSON form of the entry.</summary>
    public JsonObject ToJson()
    {
        var entry = new JsonObject
        {
            ["manager"] = Manager,
            ["operation"] = Operation,
            ["apiVersion"] = ApiVersion,
        };
        if (Time is { } time)
        {
            entry["time"] = ServerSideApplyPaths.FormatTime(time);
        }

        entry["fieldsType"] = "FieldsV1";
        entry["fieldsV1"] = Fields.ToJson();
        if (!string.IsNullOrEmpty(Subresource))
        {
            entry["subresource"] = Subresource;
        }

        return entry;
    }

    public static JsonArray ToJson(IEnumerable<ManagedFieldsEntry> entries) =>
        new(entries.Select(e => (JsonNode)e.ToJson()).ToArray());

    /// <summary>Reads <c>metadata.managedFields</c>; null or absent is no entry.</summary>
    /// <exception cref="PatchException">An entry is malformed (Kubernetes answers 400 for managedFields it cannot decode).</exception>
    public static IReadOnlyList<ManagedFieldsEntry> Parse(JsonArray? managedFields)
    {
        var entries = new List<ManagedFieldsEntry>();
        foreach (var node in managedFields ?? [])
        {
            if (node is not JsonObject entry)
            {
                throw new PatchException(PatchErrorKind.BadRequest, "managedFields entries must be objects");
            }

            var fieldsType = Text(entry, "fieldsType");
            if (fieldsType is not ("FieldsV1" or null))
            {
                throw new PatchException(PatchErrorKind.BadRequest, $"invalid fieldsType {GoStrings.Quote(fieldsType)}");
            }

            var time = Text(entry, "time") is { } text
                ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : (DateTimeOffset?)null;
            entries.Add(new ManagedFieldsEntry(
                Text(entry, "manager") ?? "",
                Text(entry, "operation") ?? "",
                Text(entry, "apiVersion") ?? "",
                time,
                entry["fieldsV1"] is JsonObject fields ? FieldSet.Parse(fields) : new FieldSet(),
                Text(entry, "subresource")));
        }

        return entries;
    }

    private static string? Text(JsonObject entry, string name) =>
        entry[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Whether two entries are the same manager for structured-merge-diff (an applier is one whatever its API version).</summary>
    internal bool SameManagerAs(string manager, string operation, string apiVersion, string? subresource) =>
        Manager == manager && Operation == operation && (Subresource ?? "") == (subresource ?? "")
        && (operation == ApplyOperation || ApiVersion == apiVersion);

    /// <summary>How Kubernetes names the manager in a conflict: <c>"kubectl"</c>, <c>"kube-controller" using apps/v1</c>.</summary>
    internal string Display
    {
        get
        {
            var name = GoStrings.Quote(Manager);
            if (!string.IsNullOrEmpty(Subresource))
            {
                name += $" with subresource {GoStrings.Quote(Subresource)}";
            }

            return Operation == UpdateOperation ? $"{name} using {ApiVersion}" : name;
        }
    }
}
