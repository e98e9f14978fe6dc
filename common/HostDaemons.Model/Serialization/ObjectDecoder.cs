using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Serialization;

/// <summary>
/// Decodes a manifest tree into a message, driven by the message's descriptor: every field is looked up by its
/// Kubernetes JSON name, so an unknown or misspelled key is an error with its line and a suggestion.
/// </summary>
public static class ObjectDecoder
{
    private static readonly ConcurrentDictionary<MessageDescriptor, Dictionary<string, FieldDescriptor>> s_fieldsByJsonName = new();

    public static DecodeResult<T> Decode<T>(ManifestNode root, MessageParser<T> parser)
        where T : IMessage<T> => Decode(root, parser.ParseFrom(ByteString.Empty));

    /// <summary>Decodes into a new message of the descriptor's type.</summary>
    public static DecodeResult<IMessage> Decode(ManifestNode root, MessageDescriptor descriptor) =>
        Decode(root, descriptor.Parser.ParseFrom(ByteString.Empty));

    private static DecodeResult<T> Decode<T>(ManifestNode root, T value)
        where T : IMessage
    {
        var context = new Context();
        context.Positions.Add("", root.Position);
        if (root is MappingNode mapping)
        {
            DecodeMessage(mapping, value, "", context);
        }
        else
        {
            context.Error(root.Position, "", $"expected an object, got {Describe(root)}");
        }

        return new DecodeResult<T>(value, context.Errors, context.Positions);
    }

    private static void DecodeMessage(MappingNode mapping, IMessage target, string path, Context context)
    {
        var descriptor = target.Descriptor;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            var fieldPath = Join(path, entry.Key);
            if (!seen.Add(entry.Key))
            {
                context.Error(entry.KeyPosition, fieldPath, $"duplicate field \"{entry.Key}\"");
                continue;
            }

            var field = FieldsByJsonName(descriptor).GetValueOrDefault(entry.Key);
            if (field is null)
            {
                context.Errors.Add(new ManifestError(entry.KeyPosition, UnknownField(entry.Key, descriptor), path.Length == 0 ? null : path, IsUnknownField: true));
                continue;
            }

            context.Positions.Add(fieldPath, entry.KeyPosition);
            if (entry.Value is ScalarNode { IsNull: true })
            {
                continue;
            }

            if (field.IsMap)
            {
                DecodeMap(entry.Value, field, target, fieldPath, context);
            }
            else if (field.IsRepeated)
            {
                DecodeList(entry.Value, field, target, fieldPath, context);
            }
            else
            {
                var decoded = DecodeValue(entry.Value, field, fieldPath, context);
                if (decoded is not null)
                {
                    field.Accessor.SetValue(target, decoded);
                }
            }
        }
    }

    private static void DecodeMap(ManifestNode node, FieldDescriptor field, IMessage target, string path, Context context)
    {
        if (node is not MappingNode mapping)
        {
            context.Error(node.Position, path, $"expected a map of strings, got {Describe(node)}");
            return;
        }

        var dictionary = (IDictionary)field.Accessor.GetValue(target);
        var bytes = field.MessageType.FindFieldByNumber(2).FieldType == FieldType.Bytes;
        foreach (var entry in mapping.Entries)
        {
            var entryPath = $"{path}[{entry.Key}]";
            context.Positions.Add(entryPath, entry.KeyPosition);
            if (entry.Value is not ScalarNode scalar)
            {
                context.Error(entry.Value.Position, entryPath, $"expected a string, got {Describe(entry.Value)}");
                continue;
            }

            var text = scalar.IsNull ? "" : scalar.Value ?? "";
            if (!bytes)
            {
                dictionary[entry.Key] = text;
            }
            else if (DecodeBase64(text) is { } decoded)
            {
                dictionary[entry.Key] = decoded;
            }
            else
            {
                context.Error(scalar.Position, entryPath, "illegal base64 data");
            }
        }
    }

    private static void DecodeList(ManifestNode node, FieldDescriptor field, IMessage target, string path, Context context)
    {
        if (node is not SequenceNode sequence)
        {
            context.Error(node.Position, path, $"expected a list, got {Describe(node)}");
            return;
        }

        var list = (IList)field.Accessor.GetValue(target);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            var item = sequence.Items[i];
            context.Positions.Add(itemPath, item.Position);
            if (item is ScalarNode { IsNull: true })
            {
                context.Error(item.Position, itemPath, "a list item may not be null");
                continue;
            }

            var decoded = DecodeValue(item, field, itemPath, context);
            if (decoded is not null)
            {
                list.Add(decoded);
            }
        }
    }

    private static object? DecodeValue(ManifestNode node, FieldDescriptor field, string path, Context context)
    {
        switch (field.FieldType)
        {
            case FieldType.Message:
                return DecodeMessageValue(node, field.MessageType, path, context);
            case FieldType.String:
                if (node is ScalarNode s)
                {
                    return s.IsNull ? "" : s.Value ?? "";
                }

                context.Error(node.Position, path, $"expected a string, got {Describe(node)}");
                return null;
            case FieldType.Bool:
                if (node is ScalarNode b && ScalarResolver.TryParseBool(b, out var boolean))
                {
                    return boolean;
                }

                context.Error(node.Position, path, $"expected true or false, got {Describe(node)}");
                return null;
            case FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32:
                if (node is ScalarNode i && ScalarResolver.TryParseInteger(i, out var int64) && int64 is >= int.MinValue and <= int.MaxValue)
                {
                    return (int)int64;
                }

                context.Error(node.Position, path, $"expected an integer, got {Describe(node)}");
                return null;
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64:
                if (node is ScalarNode l && ScalarResolver.TryParseInteger(l, out var longValue))
                {
                    return longValue;
                }

                context.Error(node.Position, path, $"expected an integer, got {Describe(node)}");
                return null;
            case FieldType.Bytes:
                if (node is ScalarNode { Value: var encoded } && DecodeBase64(encoded ?? "") is { } data)
                {
                    return data;
                }

                context.Error(node.Position, path, "illegal base64 data");
                return null;
            default:
                context.Error(node.Position, path, $"field type {field.FieldType} is not supported in manifests");
                return null;
        }
    }

    /// <summary>A mapping as plain JSON (fieldsV1 is a free-form tree of objects).</summary>
    private static System.Text.Json.Nodes.JsonNode? PlainTree(ManifestNode node) => node switch
    {
        MappingNode mapping => new System.Text.Json.Nodes.JsonObject(mapping.Entries.Select(e =>
            KeyValuePair.Create(e.Key, PlainTree(e.Value)))),
        SequenceNode sequence => new System.Text.Json.Nodes.JsonArray([.. sequence.Items.Select(PlainTree)]),
        ScalarNode { IsNull: true } => null,
        ScalarNode scalar => System.Text.Json.Nodes.JsonValue.Create(scalar.Value),
        _ => null,
    };

    private static object? DecodeMessageValue(ManifestNode node, MessageDescriptor type, string path, Context context)
    {
        if (type.FullName == Timestamp.Descriptor.FullName)
        {
            if (node is ScalarNode ts && DateTimeOffset.TryParse(ts.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return Timestamp.FromDateTimeOffset(time);
            }

            context.Error(node.Position, path, $"expected an RFC 3339 time, got {Describe(node)}");
            return null;
        }

        if (type.FullName == IntOrString.Descriptor.FullName)
        {
            if (node is ScalarNode scalar)
            {
                return ScalarResolver.TryParseInteger(scalar, out var number) && number is >= int.MinValue and <= int.MaxValue
                    ? new IntOrString { IntValue = (int)number }
                    : new IntOrString { StringValue = scalar.Value ?? "" };
            }

            context.Error(node.Position, path, $"expected an integer or a string, got {Describe(node)}");
            return null;
        }

        if (node is not MappingNode mapping)
        {
            context.Error(node.Position, path, $"expected an object, got {Describe(node)}");
            return null;
        }

        if (type.FullName == FieldsV1.Descriptor.FullName)
        {
            return new FieldsV1 { Raw = PlainTree(mapping)?.ToJsonString() ?? "{}" };
        }

        var message = type.Parser.ParseFrom(ByteString.Empty);
        DecodeMessage(mapping, message, path, context);
        return message;
    }

    private static ByteString? DecodeBase64(string text)
    {
        try
        {
            return ByteString.FromBase64(text.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string UnknownField(string key, MessageDescriptor descriptor)
    {
        var names = descriptor.Fields.InDeclarationOrder().Select(f => f.JsonName).ToArray();
        var suggestion = Suggestions.Closest(key, names);
        var owner = KindLabel(descriptor);
        return suggestion is null
            ? $"unknown field \"{key}\" in {owner}"
            : $"unknown field \"{key}\" in {owner} (did you mean \"{suggestion}\"?)";
    }

    private static string KindLabel(MessageDescriptor descriptor) => descriptor.Name;

    internal static string Describe(ManifestNode node) => node switch
    {
        MappingNode => "an object",
        SequenceNode => "a list",
        ScalarNode { IsNull: true } => "null",
        ScalarNode s => $"\"{s.Value}\"",
        _ => "an unknown node",
    };

    private static Dictionary<string, FieldDescriptor> FieldsByJsonName(MessageDescriptor descriptor) =>
        s_fieldsByJsonName.GetOrAdd(descriptor, d => d.Fields.InDeclarationOrder().ToDictionary(f => f.JsonName, StringComparer.Ordinal));

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private sealed class Context
    {
        public List<ManifestError> Errors { get; } = [];

        public FieldPositions Positions { get; } = new();

        public void Error(SourcePosition position, string? path, string message) =>
            Errors.Add(new ManifestError(position, message, string.IsNullOrEmpty(path) ? null : path));
    }
}
