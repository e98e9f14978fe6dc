using System.Text.Json.Nodes;

namespace HostDaemons.ControlPlane.KubeApi.OpenApi;

/// <summary>
/// The apimachinery schemas that have no HostDaemons message (HostDaemons' REST front door reads and writes them
/// itself): Time, Quantity, IntOrString, ListMeta, DeleteOptions, Status, Patch and WatchEvent.
/// </summary>
internal static class MetaSchemas
{
    /// <summary>The schema named <paramref name="name"/>, calling <paramref name="reference"/> for each schema it refers to; null if none.</summary>
    public static JsonObject? Build(string name, Func<string, JsonNode> reference) => name switch
    {
        SchemaNames.Time => new JsonObject
        {
            ["description"] = "A time in RFC 3339 form, to the second, in UTC: 2024-05-01T12:00:00Z.",
            ["type"] = "string",
            ["format"] = "date-time",
        },
        SchemaNames.Quantity => new JsonObject
        {
            ["description"] = "A fixed-point amount: a number with an optional suffix (binary Ki, Mi, Gi, Ti, Pi, Ei; decimal m, k, M, G, T, P, E; or an exponent e3): 100m, 0.5, 128Mi, 1e3.",
            ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "number" }),
        },
        SchemaNames.IntOrString => new JsonObject
        {
            ["description"] = "An integer or a string, written bare in JSON and YAML: 1 or \"25%\".",
            ["format"] = "int-or-string",
            ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
            ["x-kubernetes-int-or-string"] = true,
        },
        SchemaNames.ListMeta => Object(
            "The metadata of a list: the resourceVersion to watch from and the continue token of the next page.",
            ("continue", String("The token that asks for the next page: set on the list when it has more items than its limit.")),
            ("remainingItemCount", Integer("int64", "How many items follow this page, when the server can tell.")),
            ("resourceVersion", String("The version of the store the list was read at; a watch started from it misses nothing.")),
            ("selfLink", String("Not set by HostDaemons (removed from Kubernetes in 1.20)."))),
        SchemaNames.Preconditions => Object(
            "Must be met for a deletion to go ahead.",
            ("resourceVersion", String("The resourceVersion the object must still have.")),
            ("uid", String("The uid the object must still have."))),
        SchemaNames.DeleteOptions => Object(
            "Options of a deletion.",
            ("apiVersion", String(Descriptions.ApiVersion)),
            ("dryRun", StringArray("All: check the deletion without making it.")),
            ("gracePeriodSeconds", Integer("int64", "Seconds to let the object's pods stop; 0 deletes at once.")),
            ("kind", String(Descriptions.Kind)),
            ("orphanDependents", Boolean("Deprecated: use propagationPolicy. True orphans the dependents.")),
            ("preconditions", Ref(reference(SchemaNames.Preconditions), "Must be met before the deletion.")),
            ("propagationPolicy", String("Orphan, Background or Foreground: what happens to the objects the deleted one owns."))),
        SchemaNames.StatusCause => Object(
            "One cause of an error: the field at fault and why.",
            ("field", String("The path of the field at fault: spec.template.spec.containers[0].image.")),
            ("message", String("What is wrong, for people.")),
            ("reason", String("What is wrong, for programs: FieldValueRequired, FieldValueInvalid."))),
        SchemaNames.StatusDetails => Object(
            "What a Status is about.",
            ("causes", new JsonObject
            {
                ["description"] = "The causes of the error.",
                ["type"] = "array",
                ["items"] = Item(reference(SchemaNames.StatusCause)),
                ["x-kubernetes-list-type"] = "atomic",
            }),
            ("group", String("The API group of the resource.")),
            ("kind", String("The kind (or resource) of the object.")),
            ("name", String("The name of the object.")),
            ("retryAfterSeconds", Integer("int32", "Seconds to wait before retrying.")),
            ("uid", String("The uid of the object."))),
        SchemaNames.Status => WithGvk(Object(
            "The outcome of a call that returns no object, or of a failed one.",
            ("apiVersion", String(Descriptions.ApiVersion)),
            ("code", Integer("int32", "The HTTP status code.")),
            ("details", Ref(reference(SchemaNames.StatusDetails), "What the outcome is about.")),
            ("kind", String(Descriptions.Kind)),
            ("message", String("What happened, for people.")),
            ("metadata", Ref(reference(SchemaNames.ListMeta), "Standard list metadata.")),
            ("reason", String("What happened, for programs: NotFound, AlreadyExists, Conflict, Invalid, Forbidden.")),
            ("status", String("Success or Failure."))), group: "", version: "v1", kind: "Status"),
        SchemaNames.Patch => new JsonObject
        {
            ["description"] = "A patch: a JSON patch, a JSON merge patch, a strategic merge patch or an apply configuration, as its content type says.",
            ["type"] = "object",
        },
        SchemaNames.RawExtension => new JsonObject
        {
            ["description"] = "An object of any kind.",
            ["type"] = "object",
        },
        SchemaNames.WatchEvent => WithGvk(Required(Object(
            "One change seen by a watch.",
            ("object", Ref(reference(SchemaNames.RawExtension), "The object: as it is now for ADDED and MODIFIED, as it was for DELETED, a Status for ERROR, or only its resourceVersion for BOOKMARK.")),
            ("type", String("ADDED, MODIFIED, DELETED, BOOKMARK or ERROR."))), "type", "object"), group: "", version: "v1", kind: "WatchEvent"),
        _ => null,
    };

    public static JsonObject Object(string description, params (string Name, JsonNode Schema)[] properties)
    {
        var props = new JsonObject();
        foreach (var (propertyName, schema) in properties)
        {
            props[propertyName] = schema;
        }

        return new JsonObject { ["description"] = description, ["type"] = "object", ["properties"] = props };
    }

    /// <summary>A property that refers to another schema: wrapped in allOf so it can carry its own description, as Kubernetes does.</summary>
    public static JsonObject Ref(JsonNode reference, string? description)
    {
        var schema = new JsonObject { ["allOf"] = new JsonArray(reference) };
        if (description is not null)
        {
            schema["description"] = description;
        }

        return schema;
    }

    /// <summary>The schema of an item of a list of objects.</summary>
    public static JsonObject Item(JsonNode reference) => new() { ["allOf"] = new JsonArray(reference), ["default"] = new JsonObject() };

    public static JsonObject WithGvk(JsonObject schema, string group, string version, string kind)
    {
        schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(group, version, kind));
        return schema;
    }

    public static JsonObject Gvk(string group, string version, string kind) =>
        new() { ["group"] = group, ["kind"] = kind, ["version"] = version };

    private static JsonObject Required(JsonObject schema, params string[] names)
    {
        schema["required"] = new JsonArray([.. names.Select(n => (JsonNode)n)]);
        return schema;
    }

    private static JsonObject String(string description) => new() { ["description"] = description, ["type"] = "string" };

    private static JsonObject Boolean(string description) => new() { ["description"] = description, ["type"] = "boolean" };

    private static JsonObject Integer(string format, string description) =>
        new() { ["description"] = description, ["type"] = "integer", ["format"] = format };

    private static JsonObject StringArray(string description) => new()
    {
        ["description"] = description,
        ["type"] = "array",
        ["items"] = new JsonObject { ["type"] = "string", ["default"] = "" },
        ["x-kubernetes-list-type"] = "atomic",
    };
}
