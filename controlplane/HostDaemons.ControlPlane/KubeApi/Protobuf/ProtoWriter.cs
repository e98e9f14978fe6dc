using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace HostDaemons.ControlPlane.KubeApi.Protobuf;

/// <summary>
/// Writes the Kubernetes JSON shape of an object as its protobuf message, in field-number order. An object holding a
/// field the schema does not know (or a value of the wrong JSON type) cannot be written: the answer is then JSON.
/// </summary>
internal static class ProtoWriter
{
    /// <summary>The message's bytes; null when <paramref name="value"/> holds something the schema cannot carry.</summary>
    public static byte[]? TryWrite(JsonObject value, ProtoMessage message, params string[] skipped)
    {
        try
        {
            return Write(value, message, skipped);
        }
        catch (NotEncodableException)
        {
            return null;
        }
    }

    private static byte[] Write(JsonObject value, ProtoMessage message, string[] skipped)
    {
        foreach (var (key, _) in value)
        {
            if (!message.ByName.ContainsKey(key) && Array.IndexOf(skipped, key) < 0)
            {
                throw new NotEncodableException();
            }
        }

        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var field in message.Fields.OrderBy(f => f.Number))
        {
            switch (value[field.Name])
            {
                case null:
                    break;
                case JsonObject map when field.Type is ProtoType.StringMap or ProtoType.BytesMap:
                    foreach (var (key, entry) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
                    {
                        using var entryBuffer = new MemoryStream();
                        var entryOutput = new CodedOutputStream(entryBuffer);
                        entryOutput.WriteTag(1, WireFormat.WireType.LengthDelimited);
                        entryOutput.WriteString(key);
                        entryOutput.WriteTag(2, WireFormat.WireType.LengthDelimited);
                        entryOutput.WriteBytes(field.Type == ProtoType.BytesMap ? FromBase64(entry) : ByteString.CopyFromUtf8(Text(entry)));
                        entryOutput.Flush();
                        WriteNested(output, field.Number, entryBuffer.ToArray());
                    }

                    break;
                case JsonArray array when field.Repeated:
                    foreach (var item in array)
                    {
                        WriteValue(output, field, item);
                    }

                    break;
                case var node when !field.Repeated && field.Type is not (ProtoType.StringMap or ProtoType.BytesMap):
                    WriteValue(output, field, node);
                    break;
                default:
                    throw new NotEncodableException();
            }
        }

        output.Flush();
        return buffer.ToArray();
    }

    private static void WriteValue(CodedOutputStream output, ProtoField field, JsonNode? node)
    {
        switch (field.Type)
        {
            case ProtoType.String:
                output.WriteTag(field.Number, WireFormat.WireType.LengthDelimited);
                output.WriteString(Text(node));
                break;
            case ProtoType.Bytes:
                output.WriteTag(field.Number, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(FromBase64(node));
                break;
            case ProtoType.Bool:
                output.WriteTag(field.Number, WireFormat.WireType.Varint);
                output.WriteBool(node?.GetValueKind() switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new NotEncodableException(),
                });
                break;
            case ProtoType.Int64 or ProtoType.Int32:
                if (node?.GetValueKind() != JsonValueKind.Number || !long.TryParse(node.ToJsonString(), CultureInfo.InvariantCulture, out var number))
                {
                    throw new NotEncodableException();
                }

                output.WriteTag(field.Number, WireFormat.WireType.Varint);
                output.WriteInt64(number);
                break;
            case ProtoType.Time:
                if (node is null)
                {
                    break;
                }

                if (!DateTimeOffset.TryParse(Text(node), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                {
                    throw new NotEncodableException();
                }

                using (var timeBuffer = new MemoryStream())
                {
                    var timeOutput = new CodedOutputStream(timeBuffer);
                    var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
                    timeOutput.WriteTag(1, WireFormat.WireType.Varint);
                    timeOutput.WriteInt64(Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest));
                    if (rest != 0)
                    {
                        timeOutput.WriteTag(2, WireFormat.WireType.Varint);
                        timeOutput.WriteInt32((int)(rest * 100));
                    }

                    timeOutput.Flush();
                    WriteNested(output, field.Number, timeBuffer.ToArray());
                }

                break;
            case ProtoType.Message:
                WriteNested(output, field.Number, Write(node as JsonObject ?? throw new NotEncodableException(), field.Message!, []));
                break;
            case ProtoType.IntOrString:
                using (var intOrStringBuffer = new MemoryStream())
                {
                    var intOrString = new CodedOutputStream(intOrStringBuffer);
                    if (node?.GetValueKind() == JsonValueKind.String)
                    {
                        intOrString.WriteTag(1, WireFormat.WireType.Varint);
                        intOrString.WriteInt64(1);
                        intOrString.WriteTag(3, WireFormat.WireType.LengthDelimited);
                        intOrString.WriteString(Text(node));
                    }
                    else if (node?.GetValueKind() == JsonValueKind.Number && int.TryParse(node.ToJsonString(), CultureInfo.InvariantCulture, out var port))
                    {
                        intOrString.WriteTag(1, WireFormat.WireType.Varint);
                        intOrString.WriteInt64(0);
                        intOrString.WriteTag(2, WireFormat.WireType.Varint);
                        intOrString.WriteInt32(port);
                    }
                    else
                    {
                        throw new NotEncodableException();
                    }

                    intOrString.Flush();
                    WriteNested(output, field.Number, intOrStringBuffer.ToArray());
                }

                break;
            case ProtoType.RawJson:
                using (var rawBuffer = new MemoryStream())
                {
                    var rawOutput = new CodedOutputStream(rawBuffer);
                    rawOutput.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    rawOutput.WriteBytes(ByteString.CopyFrom(Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "{}")));
                    rawOutput.Flush();
                    WriteNested(output, field.Number, rawBuffer.ToArray());
                }

                break;
            default:
                throw new NotEncodableException();
        }
    }

    private static void WriteNested(CodedOutputStream output, int number, byte[] bytes)
    {
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(bytes));
    }

    private static string Text(JsonNode? node) =>
        node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : throw new NotEncodableException();

    private static ByteString FromBase64(JsonNode? node)
    {
        try
        {
            return ByteString.FromBase64(Text(node));
        }
        catch (FormatException)
        {
            throw new NotEncodableException();
        }
    }

    private sealed class NotEncodableException : Exception;
}
