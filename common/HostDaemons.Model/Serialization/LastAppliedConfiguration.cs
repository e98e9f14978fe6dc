using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Serialization;

/// <summary>
/// kubectl apply's bookkeeping: the configuration applied last is kept on the object in the
/// <c>kubectl.kubernetes.io/last-applied-configuration</c> annotation (compact JSON, keys sorted, without the
/// annotation itself, as kubectl writes it), and the next apply merges against it with <see cref="ThreeWayMerge"/>.
/// Server-managed fields (status, uid, resourceVersion, generation, creation and deletion times) are never taken from
/// a configuration: they are left out of it and kept from the live object.
/// </summary>
public static class LastAppliedConfiguration
{
    public const string Annotation = "kubectl.kubernetes.io/last-applied-configuration";

    private static readonly string[] s_serverMetadata =
        ["uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields"];

    private static readonly JsonSerializerOptions s_compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The annotation's value for an applied object: its JSON without server fields, newline-terminated as kubectl's.</summary>
    public static string Of(IKubeObject applied) => Format(Configuration(applied));

    /// <summary>A copy of <paramref name="applied"/> carrying its own last-applied annotation: what apply creates.</summary>
    public static T WithAnnotation<T>(T applied)
        where T : class, IKubeObject<T>
    {
        var value = Of(applied);
        var copy = (T)applied.CloneObject();
        copy.Metadata ??= new ObjectMeta();
        copy.Metadata.Annotations[Annotation] = value;
        return copy;
    }

    /// <summary>The configuration an object was last applied with, or null when it has none (created otherwise) or it is not a JSON object.</summary>
    public static JsonObject? Read(IKubeObject value)
    {
        if (value.Metadata?.Annotations.TryGetValue(Annotation, out var text) != true || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject obj ? WithoutServerFields(obj) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The state of <paramref name="live"/> once <paramref name="applied"/> is applied: a three-way merge of the last
    /// applied configuration, the applied one and the live object, carrying the new annotation, with the live object's
    /// server fields. Defaults are not applied: the caller does, as the API server does after a patch.
    /// </summary>
    public static T Merge<T>(T live, T applied)
        where T : class, IKubeObject<T>
    {
        var configuration = Configuration(applied);
        var current = WithoutServerFields(ObjectEncoder.Encode(live));
        var merged = ThreeWayMerge.Merge(Read(live), configuration, current);
        if (merged["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            merged["metadata"] = metadata;
        }

        if (metadata["annotations"] is not JsonObject annotations)
        {
            annotations = [];
            metadata["annotations"] = annotations;
        }

        annotations[Annotation] = Format(configuration);
        var result = Decode<T>(merged);
        KeepServerFields(result, live);
        return result;
    }

    /// <summary>Decodes a JSON tree (as <see cref="ObjectEncoder"/> writes it) back into a message through the manifest decoder.</summary>
    public static T Decode<T>(JsonObject json)
        where T : class, IKubeObject<T>
    {
        var decoded = ObjectDecoder.Decode(ToNode(json), T.Parser);
        if (!decoded.Succeeded)
        {
            var error = decoded.Errors[0];
            throw new InvalidOperationException($"the merged {typeof(T).Name} does not decode: {(error.FieldPath is null ? "" : error.FieldPath + ": ")}{error.Message}");
        }

        return decoded.Value;
    }

    private static JsonObject Configuration(IKubeObject applied)
    {
        var json = WithoutServerFields(ObjectEncoder.Encode(applied));

        // kubectl takes the annotation out of the map it leaves behind, so an applied object without annotations
        // still says "annotations":{}.
        if (json["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            json["metadata"] = metadata;
        }

        if (metadata["annotations"] is not JsonObject annotations)
        {
            annotations = [];
            metadata["annotations"] = annotations;
        }

        annotations.Remove(Annotation);
        return Sorted(json);
    }

    private static string Format(JsonObject configuration) => configuration.ToJsonString(s_compact) + "\n";

    private static JsonObject WithoutServerFields(JsonObject json)
    {
        json.Remove("status");
        if (json["metadata"] is JsonObject metadata)
        {
            foreach (var field in s_serverMetadata)
            {
                metadata.Remove(field);
            }
        }

        return json;
    }

    private static void KeepServerFields<T>(T result, T live)
        where T : class, IKubeObject<T>
    {
        var meta = result.Metadata;
        var from = live.Metadata;
        meta.Uid = from.Uid;
        meta.ResourceVersion = from.ResourceVersion;
        meta.Generation = from.Generation;
        meta.CreationTimestamp = from.CreationTimestamp?.Clone();
        meta.DeletionTimestamp = from.DeletionTimestamp?.Clone();
        if (from.HasDeletionGracePeriodSeconds)
        {
            meta.DeletionGracePeriodSeconds = from.DeletionGracePeriodSeconds;
        }
        else
        {
            meta.ClearDeletionGracePeriodSeconds();
        }

        if (result.Descriptor.FindFieldByName("status") is { } status)
        {
            status.Accessor.SetValue(result, status.Accessor.GetValue(live.CloneObject()));
        }
    }

    /// <summary>The keys of every object in ordinal order, as Go writes a map.</summary>
    private static JsonObject Sorted(JsonObject json)
    {
        var sorted = new JsonObject();
        foreach (var (key, value) in json.OrderBy(p => p.Key, StringComparer.Ordinal).ToList())
        {
            sorted[key] = Sorted(value);
        }

        return sorted;
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => Sorted(obj),
        JsonArray array => new JsonArray([.. array.Select(Sorted)]),
        _ => node?.DeepClone(),
    };

    private static ManifestNode ToNode(JsonNode? node)
    {
        var at = new SourcePosition(1, 1);
        return node switch
        {
            JsonObject obj => new MappingNode(at, [.. obj.Select(p => new MappingEntry(p.Key, at, ToNode(p.Value)))]),
            JsonArray array => new SequenceNode(at, [.. array.Select(ToNode)]),
            JsonValue value when value.GetValueKind() == JsonValueKind.String => new ScalarNode(at, value.GetValue<string>(), IsPlain: false),
            JsonValue value => new ScalarNode(at, value.ToJsonString(), IsPlain: true),
            null => new ScalarNode(at, null, IsPlain: true),
            _ => throw new InvalidOperationException($"unexpected JSON node {node.GetType().Name}"),
        };
    }
}
