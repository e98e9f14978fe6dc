using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using HostDaemons.Model.Objects;

namespace HostDaemons.ControlPlane.KubeApi.OpenApi;

/// <summary>
/// The <c>components.schemas</c> of one document: each schema is made from HostDaemons' message descriptor the first
/// time something refers to it, so a document holds exactly the schemas its kinds reach.
/// </summary>
internal sealed class SchemaSet(PatchMetadataLookup patchMetadata, SchemaDescriptions descriptions)
{
    private readonly SortedDictionary<string, JsonObject> _schemas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _messageOfSchema = new(StringComparer.Ordinal);

    /// <summary>The schemas, by name in ordinal order (as Kubernetes sorts them).</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        foreach (var (name, schema) in _schemas)
        {
            json[name] = schema;
        }

        return json;
    }

    /// <summary>Adds a kind's schema with its x-kubernetes-group-version-kind, and its list's; returns the kind's schema name.</summary>
    public string AddKind(ResourceKindInfo kind, string version)
    {
        var name = SchemaNames.For(kind.Descriptor);
        Reference(kind.Descriptor);
        var schema = _schemas[name];
        MetaSchemas.WithGvk(schema, kind.Group, version, kind.KindName);

        var list = MetaSchemas.Object(
            $"A list of {kind.KindName} objects.",
            ("apiVersion", new JsonObject { ["description"] = Descriptions.ApiVersion, ["type"] = "string" }),
            ("items", new JsonObject
            {
                ["description"] = $"The {kind.Plural}.",
                ["type"] = "array",
                ["items"] = MetaSchemas.Item(Reference(name)),
            }),
            ("kind", new JsonObject { ["description"] = Descriptions.Kind, ["type"] = "string" }),
            ("metadata", MetaSchemas.Ref(Reference(SchemaNames.ListMeta), "Standard list metadata.")));
        list["required"] = new JsonArray("items");
        _schemas[name + "List"] = MetaSchemas.WithGvk(list, kind.Group, version, kind.KindName + "List");
        return name;
    }

    /// <summary>A <c>$ref</c> to the named schema, adding it (a message's or one of <see cref="MetaSchemas"/>) if absent.</summary>
    public JsonObject Reference(string name)
    {
        if (!_schemas.ContainsKey(name))
        {
            _schemas[name] = MetaSchemas.Build(name, Reference) ?? throw new ArgumentException($"no schema is named {name}", nameof(name));
        }

        return RefNode(name);
    }

    public JsonObject Reference(MessageDescriptor message)
    {
        var name = SchemaNames.For(message);
        if (_messageOfSchema.TryGetValue(name, out var existing) && existing != message.FullName)
        {
            throw new InvalidOperationException($"{message.FullName} and {existing} would both be the schema {name}: name one of them in SchemaNames");
        }

        _messageOfSchema[name] = message.FullName;
        if (_schemas.ContainsKey(name))
        {
            return RefNode(name);
        }

        if (MetaSchemas.Build(name, Reference) is { } fixedSchema)
        {
            _schemas[name] = fixedSchema;
            return RefNode(name);
        }

        _schemas[name] = new JsonObject(); // taken before its fields are built, so a message that contains itself ends
        _schemas[name] = BuildMessage(message);
        return RefNode(name);
    }

    private JsonObject BuildMessage(MessageDescriptor message)
    {
        var properties = new JsonObject();
        foreach (var field in message.Fields.InDeclarationOrder().OrderBy(f => f.JsonName, StringComparer.Ordinal))
        {
            properties[field.JsonName] = Property(field);
        }

        var schema = new JsonObject();
        if (descriptions.For(message) is { } description)
        {
            schema["description"] = description;
        }

        schema["type"] = "object";
        schema["properties"] = properties;
        var required = KubernetesFieldRules.Required(message).ToList();
        if (required.Count > 0)
        {
            schema["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]);
        }

        return schema;
    }

    private JsonObject Property(FieldDescriptor field)
    {
        JsonObject schema;
        if (field.IsMap)
        {
            var valueField = field.MessageType.FindFieldByNumber(2);
            schema = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = KubernetesFieldRules.IsQuantity(field) ? Reference(SchemaNames.Quantity) : Value(valueField),
            };
        }
        else if (field.IsRepeated)
        {
            var item = Value(field);
            if (item.ContainsKey("$ref") && field.FieldType == FieldType.Message && !IsScalarLike(field.MessageType))
            {
                item = MetaSchemas.Item(item);
            }

            schema = new JsonObject { ["type"] = "array", ["items"] = item };
        }
        else
        {
            schema = Value(field);
            if (schema.ContainsKey("$ref"))
            {
                schema = MetaSchemas.Ref(schema, description: null);
            }
        }

        if (Describe(field) is { } description)
        {
            schema.Insert(0, "description", description);
        }

        if (patchMetadata(field) is { } patch)
        {
            if (patch.ListMapKeys is { Count: > 0 } mapKeys)
            {
                schema["x-kubernetes-list-map-keys"] = new JsonArray([.. mapKeys.Select(k => (JsonNode)k)]);
            }

            if (patch.ListType is not null)
            {
                schema["x-kubernetes-list-type"] = patch.ListType;
            }

            if (patch.MergeKey is not null)
            {
                schema["x-kubernetes-patch-merge-key"] = patch.MergeKey;
            }

            if (patch.Strategy is not null)
            {
                schema["x-kubernetes-patch-strategy"] = patch.Strategy;
            }
        }

        return schema;
    }

    // The field's own description, else the standard one of an object's apiVersion, kind, metadata, spec and status,
    // else that of the message it holds: kubectl explain lists a field with its own description only.
    private string? Describe(FieldDescriptor field) =>
        descriptions.For(field)
        ?? (field.ContainingType.FindFieldByName("kind") is null ? null : field.JsonName switch
        {
            "apiVersion" => Descriptions.ApiVersion,
            "kind" => Descriptions.Kind,
            "metadata" => Descriptions.Metadata,
            "spec" => Descriptions.Spec,
            "status" => Descriptions.Status,
            _ => null,
        })
        ?? (field.FieldType == FieldType.Message && !field.IsMap ? descriptions.For(field.MessageType) : null);

    /// <summary>The schema of one value of the field (an item of a list, a value of a map, or the field itself).</summary>
    private JsonObject Value(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Message => Reference(field.MessageType),
        FieldType.String => KubernetesFieldRules.IsQuantity(field) ? Reference(SchemaNames.Quantity) : Scalar("string"),
        FieldType.Bool => Scalar("boolean"),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 or FieldType.UInt32 or FieldType.Fixed32 => Scalar("integer", "int32"),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 or FieldType.UInt64 or FieldType.Fixed64 => Scalar("integer", "int64"),
        FieldType.Double => Scalar("number", "double"),
        FieldType.Float => Scalar("number", "float"),
        FieldType.Bytes => Scalar("string", "byte"),
        FieldType.Enum => Scalar("string"),
        _ => throw new NotSupportedException($"field {field.FullName} has a type OpenAPI documents do not describe: {field.FieldType}"),
    };

    // Messages written as a JSON scalar: a list of them is not a list of objects.
    private static bool IsScalarLike(MessageDescriptor message) =>
        SchemaNames.For(message) is SchemaNames.Time or SchemaNames.IntOrString;

    private static JsonObject Scalar(string type, string? format = null)
    {
        var schema = new JsonObject { ["type"] = type };
        if (format is not null)
        {
            schema["format"] = format;
        }

        return schema;
    }

    private static JsonObject RefNode(string name) => new() { ["$ref"] = SchemaNames.Ref(name) };
}
