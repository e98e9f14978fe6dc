using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Serialization;

/// <summary>
/// Turns a message into the JSON tree Kubernetes prints: Kubernetes field names, keys sorted as kubectl sorts them,
/// empty fields left out, times as RFC 3339 and int-or-string as a bare value.
/// </summary>
public static class ObjectEncoder
{
    public static JsonObject Encode(IMessage message)
    {
        var result = new JsonObject();
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder().OrderBy(f => f.JsonName, StringComparer.Ordinal))
        {
            var encoded = EncodeField(message, field);
            if (encoded is not null)
            {
                result[field.JsonName] = encoded;
            }
        }

        return result;
    }

    private static JsonNode? EncodeField(IMessage message, FieldDescriptor field)
    {
        var value = field.Accessor.GetValue(message);
        if (field.IsMap)
        {
            var map = (IDictionary)value;
            if (map.Count == 0)
            {
                return null;
            }

            var result = new JsonObject();
            foreach (var key in map.Keys.Cast<object>().Select(k => (string)k).Order(StringComparer.Ordinal))
            {
                result[key] = map[key] switch
                {
                    ByteString bytes => JsonValue.Create(bytes.ToBase64()),
                    var text => JsonValue.Create((string?)text ?? ""),
                };
            }

            return result;
        }

        if (field.IsRepeated)
        {
            var list = (IList)value;
            if (list.Count == 0)
            {
                return null;
            }

            var array = new JsonArray();
            foreach (var item in list)
            {
                array.Add(EncodeValue(item, field));
            }

            return array;
        }

        if (field.FieldType == FieldType.Message)
        {
            return value is null ? null : EncodeValue(value, field);
        }

        if (field.HasPresence)
        {
            return field.Accessor.HasValue(message) ? EncodeValue(value, field) : null;
        }

        return IsDefault(value) ? null : EncodeValue(value, field);
    }

    private static JsonNode? EncodeValue(object value, FieldDescriptor field) => value switch
    {
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        Timestamp t => JsonValue.Create(FormatTime(t)),
        ByteString bytes => JsonValue.Create(bytes.ToBase64()),
        IntOrString ios => ios.ValueCase == IntOrString.ValueOneofCase.IntValue ? JsonValue.Create(ios.IntValue) : JsonValue.Create(ios.StringValue),
        FieldsV1 fields => fields.Raw.Length == 0 ? new JsonObject() : JsonNode.Parse(fields.Raw),
        IMessage m => Encode(m),
        _ => throw new NotSupportedException($"field {field.FullName} of type {value.GetType().Name} cannot be encoded"),
    };

    private static bool IsDefault(object value) => value switch
    {
        string s => s.Length == 0,
        bool b => !b,
        int i => i == 0,
        long l => l == 0,
        ByteString b => b.IsEmpty,
        _ => false,
    };

    /// <summary>Kubernetes' time format: RFC 3339 in UTC with whole seconds.</summary>
    public static string FormatTime(Timestamp time) =>
        time.ToDateTimeOffset().ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
