using System.Text.Json.Nodes;
using Google.Protobuf;
using Microsoft.Net.Http.Headers;

namespace HostDaemons.ControlPlane.KubeApi.Protobuf;

/// <summary>
/// Kubernetes' protobuf bodies (<c>application/vnd.kubernetes.protobuf</c>): the magic <c>k8s\0</c>, then a
/// <c>runtime.Unknown</c> holding the object's <c>apiVersion</c>/<c>kind</c> and its own message in <c>raw</c>.
/// Converted from and to the Kubernetes JSON shape, so the rest of the front door only knows JSON.
/// </summary>
internal static class KubeProtobuf
{
    public const string ContentType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] s_magic = "k8s\0"u8.ToArray();

    public static bool IsProtobuf(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Equals(ContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The object a protobuf body holds, as JSON with <c>apiVersion</c> and <c>kind</c> first.</summary>
    /// <exception cref="ProtobufFormatException">The body is not a Kubernetes protobuf envelope of a kind read here.</exception>
    public static JsonObject Decode(byte[] body, int length)
    {
        if (length < s_magic.Length || !body.AsSpan(0, s_magic.Length).SequenceEqual(s_magic))
        {
            throw new ProtobufFormatException("the body does not start with the protobuf envelope's magic bytes \"k8s\\x00\"");
        }

        var envelope = ProtoReader.Read(body, s_magic.Length, length - s_magic.Length, KubeProtoSchemas.Unknown, "Unknown");
        var apiVersion = (string?)envelope["typeMeta"]?["apiVersion"] ?? "";
        var kind = (string?)envelope["typeMeta"]?["kind"] ?? "";
        if ((string?)envelope["contentEncoding"] is { Length: > 0 } encoding)
        {
            throw new ProtobufFormatException($"the envelope's content encoding \"{encoding}\" is not supported");
        }

        if ((string?)envelope["contentType"] is { Length: > 0 } inner && !IsProtobuf(inner))
        {
            throw new ProtobufFormatException($"the envelope's content type \"{inner}\" is not supported");
        }

        if (!KubeProtoSchemas.Kinds.TryGetValue((apiVersion, kind), out var message))
        {
            throw new ProtobufFormatException(kind.Length == 0
                ? "the envelope names no kind"
                : $"{kind} in version \"{apiVersion}\" is not read as protobuf here; send it as JSON");
        }

        var raw = ((string?)envelope["raw"]) is { } base64 ? Convert.FromBase64String(base64) : [];
        var fields = ProtoReader.Read(raw, 0, raw.Length, message, kind);
        var result = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (key, node) in fields.ToList())
        {
            fields.Remove(key);
            result[key] = node;
        }

        return result;
    }

    /// <summary>The protobuf envelope of a JSON answer; null for a kind not written as protobuf or a field the schema lacks.</summary>
    public static byte[]? TryEncode(JsonObject value)
    {
        if ((string?)(value["apiVersion"] as JsonValue) is not { } apiVersion || (string?)(value["kind"] as JsonValue) is not { } kind
            || !KubeProtoSchemas.Kinds.TryGetValue((apiVersion, kind), out var message)
            || ProtoWriter.TryWrite(value, message, "apiVersion", "kind") is not { } raw)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        buffer.Write(s_magic);
        var output = new CodedOutputStream(buffer);
        using (var typeMeta = new MemoryStream())
        {
            var typeOutput = new CodedOutputStream(typeMeta);
            typeOutput.WriteTag(1, WireFormat.WireType.LengthDelimited);
            typeOutput.WriteString(apiVersion);
            typeOutput.WriteTag(2, WireFormat.WireType.LengthDelimited);
            typeOutput.WriteString(kind);
            typeOutput.Flush();
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(UnsafeByteOperations.UnsafeWrap(typeMeta.ToArray()));
        }

        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(raw));
        output.WriteTag(3, WireFormat.WireType.LengthDelimited);
        output.WriteString("");
        output.WriteTag(4, WireFormat.WireType.LengthDelimited);
        output.WriteString("");
        output.Flush();
        return buffer.ToArray();
    }

    /// <summary>
    /// Whether the answer should be protobuf: the Accept header's most preferred plain type (by quality, then order) is
    /// protobuf. kubectl's typed clients send <c>application/vnd.kubernetes.protobuf,application/json</c>.
    /// </summary>
    public static bool Prefers(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList([.. request.Headers.Accept.Select(a => a ?? "")], out var accepted))
        {
            return false;
        }

        var best = accepted
            .Where(m => !m.Parameters.Any(p => p.Name.Equals("as", StringComparison.OrdinalIgnoreCase)))
            .Select((media, index) => (media, index))
            .Where(m => (m.media.Quality ?? 1) > 0)
            .OrderByDescending(m => m.media.Quality ?? 1)
            .ThenBy(m => m.index)
            .Select(m => m.media.MediaType.Value)
            .FirstOrDefault();
        return string.Equals(best, ContentType, StringComparison.OrdinalIgnoreCase);
    }
}
