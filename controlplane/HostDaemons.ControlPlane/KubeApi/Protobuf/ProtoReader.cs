using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace HostDaemons.ControlPlane.KubeApi.Protobuf;

/// <summary>A protobuf body that cannot be read; the message names the field and what was wrong.</summary>
internal sealed class ProtobufFormatException(string message) : Exception(message);

/// <summary>
/// Reads a Kubernetes protobuf message into its Kubernetes JSON shape. Unknown fields are skipped (as Go's generated code
/// does); zero values are left out (as Go's JSON omits them). Nesting is bounded by the schema, size by the caller.
/// </summary>
internal static class ProtoReader
{
    public static JsonObject Read(byte[] buffer, int offset, int length, ProtoMessage message, string path)
    {
        try
        {
            return ReadMessage(new CodedInputStream(buffer, offset, length), message, path);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ProtobufFormatException($"{path}: {ex.Message}");
        }
    }

    private static JsonObject ReadMessage(CodedInputStream input, ProtoMessage message, string path)
    {
        var result = new JsonObject();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (!message.ByNumber.TryGetValue(WireFormat.GetTagFieldNumber(tag), out var field))
            {
                input.SkipLastField();
                continue;
            }

            var fieldPath = $"{path}.{field.Name}";
            var wire = WireFormat.GetTagWireType(tag);
            var expected = field.Type is ProtoType.Bool or ProtoType.Int32 or ProtoType.Int64 ? WireFormat.WireType.Varint : WireFormat.WireType.LengthDelimited;
            if (wire != expected)
            {
                throw new ProtobufFormatException($"{fieldPath}: wire type {wire}, expected {expected}");
            }

            switch (field.Type)
            {
                case ProtoType.StringMap or ProtoType.BytesMap:
                    var (key, entry) = ReadMapEntry(input, field.Type == ProtoType.BytesMap, fieldPath);
                    var map = result[field.Name] as JsonObject ?? (JsonObject)(result[field.Name] = new JsonObject());
                    map[key] = entry;
                    break;
                case var _ when field.Repeated:
                    var array = result[field.Name] as JsonArray ?? (JsonArray)(result[field.Name] = new JsonArray());
                    array.Add(ReadValue(input, field, fieldPath) ?? DefaultOf(field));
                    break;
                default:
                    if (ReadValue(input, field, fieldPath) is { } value)
                    {
                        result[field.Name] = value;
                    }
                    else
                    {
                        result.Remove(field.Name);
                    }

                    break;
            }
        }

        return result;
    }

    /// <summary>The field's value; null for a zero value, which the JSON leaves out.</summary>
    private static JsonNode? ReadValue(CodedInputStream input, ProtoField field, string path)
    {
        switch (field.Type)
        {
            case ProtoType.String:
                var text = input.ReadString();
                return text.Length == 0 ? null : JsonValue.Create(text);
            case ProtoType.Bytes:
                return JsonValue.Create(input.ReadBytes().ToBase64());
            case ProtoType.Bool:
                return input.ReadBool() ? JsonValue.Create(true) : null;
            case ProtoType.Int64:
                var number = input.ReadInt64();
                return number == 0 ? null : JsonValue.Create(number);
            case ProtoType.Int32:
                var small = input.ReadInt32();
                return small == 0 ? null : JsonValue.Create(small);
            case ProtoType.Time:
                return ReadTime(Nested(input), path);
            case ProtoType.Message:
                return ReadMessage(Nested(input), field.Message!, path);
            case ProtoType.RawJson:
                return ReadRawJson(Nested(input), path);
            case ProtoType.IntOrString:
                return ReadIntOrString(Nested(input), path);
            default:
                throw new ProtobufFormatException($"{path}: unexpected field type {field.Type}");
        }
    }

    private static JsonNode DefaultOf(ProtoField field) => field.Type switch
    {
        ProtoType.Message => new JsonObject(),
        ProtoType.Bool => JsonValue.Create(false),
        ProtoType.Int32 or ProtoType.Int64 => JsonValue.Create(0),
        _ => JsonValue.Create(""),
    };

    private static CodedInputStream Nested(CodedInputStream input) => new(input.ReadBytes().ToByteArray());

    private static (string Key, JsonNode Value) ReadMapEntry(CodedInputStream outer, bool bytes, string path)
    {
        var input = Nested(outer);
        var key = "";
        JsonNode value = JsonValue.Create("");
        ReadFields(input, $"{path} map entry", number =>
        {
            if (number == 1)
            {
                key = input.ReadString();
            }
            else
            {
                value = JsonValue.Create(bytes ? input.ReadBytes().ToBase64() : input.ReadString());
            }
        }, WireFormat.WireType.LengthDelimited, WireFormat.WireType.LengthDelimited);
        return (key, value);
    }

    private static JsonNode? ReadTime(CodedInputStream input, string path)
    {
        long seconds = 0;
        var nanos = 0;
        ReadFields(input, $"{path} Time", number =>
        {
            if (number == 1)
            {
                seconds = input.ReadInt64();
            }
            else
            {
                nanos = input.ReadInt32();
            }
        }, WireFormat.WireType.Varint, WireFormat.WireType.Varint);
        if (seconds == 0 && nanos == 0)
        {
            return null;
        }

        if (seconds < -62135596800 || seconds > 253402300799 || nanos is < 0 or > 999_999_999)
        {
            throw new ProtobufFormatException($"{path}: time {seconds}s {nanos}ns is out of range");
        }

        var time = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
        return JsonValue.Create(time.ToString(nanos == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
    }

    private static JsonNode ReadIntOrString(CodedInputStream input, string path)
    {
        long type = 0;
        var number = 0;
        var text = "";
        ReadFields(input, $"{path} IntOrString", field =>
        {
            switch (field)
            {
                case 1:
                    type = input.ReadInt64();
                    break;
                case 2:
                    number = input.ReadInt32();
                    break;
                default:
                    text = input.ReadString();
                    break;
            }
        }, WireFormat.WireType.Varint, WireFormat.WireType.Varint, WireFormat.WireType.LengthDelimited);
        return type == 1 ? JsonValue.Create(text) : JsonValue.Create(number);
    }

    private static JsonNode? ReadRawJson(CodedInputStream input, string path)
    {
        JsonNode? value = null;
        ReadFields(input, $"{path} FieldsV1", _ =>
        {
            var raw = input.ReadBytes();
            try
            {
                value = raw.Length == 0 ? null : JsonNode.Parse(Encoding.UTF8.GetString(raw.Span), documentOptions: new JsonDocumentOptions { MaxDepth = 100 });
            }
            catch (JsonException ex)
            {
                throw new ProtobufFormatException($"{path}: not JSON: {ex.Message}");
            }
        }, WireFormat.WireType.LengthDelimited);
        return value;
    }

    /// <summary>Reads a small fixed message: fields 1..n with the wire types given are handed to <paramref name="read"/>, others skipped.</summary>
    private static void ReadFields(CodedInputStream input, string what, Action<int> read, params WireFormat.WireType[] wires)
    {
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            if (number < 1 || number > wires.Length)
            {
                input.SkipLastField();
                continue;
            }

            if (WireFormat.GetTagWireType(tag) != wires[number - 1])
            {
                throw new ProtobufFormatException($"{what}: field {number} has wire type {WireFormat.GetTagWireType(tag)}, expected {wires[number - 1]}");
            }

            read(number);
        }
    }
}
