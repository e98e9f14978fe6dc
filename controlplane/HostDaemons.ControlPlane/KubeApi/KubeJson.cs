using System.Text.Json;
using System.Text.Json.Nodes;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>Objects as the Kubernetes API writes them (JSON, with <c>apiVersion</c> and <c>kind</c>), and writing answers.</summary>
internal static class KubeJson
{
    public const string ContentType = "application/json";

    private static readonly JsonWriterOptions s_writerOptions = new() { Indented = false, SkipValidation = true };

    /// <summary>The object's JSON, <c>apiVersion</c> and <c>kind</c> first.</summary>
    public static JsonObject Encode(IKubeObject value)
    {
        var info = ResourceKinds.Get(value.ResourceKind);
        var encoded = ObjectEncoder.Encode(value);
        var result = new JsonObject { ["apiVersion"] = info.ApiVersion, ["kind"] = info.KindName };
        foreach (var (key, node) in encoded.ToList())
        {
            if (key is not ("apiVersion" or "kind"))
            {
                encoded.Remove(key);
                result[key] = node;
            }
        }

        return result;
    }

    /// <summary>A list: <c>{"kind":"DaemonSetList","apiVersion":"apps/v1","metadata":{...},"items":[...]}</c>.</summary>
    public static JsonObject List(ResourceKindInfo kind, IEnumerable<IKubeObject> items, string resourceVersion, string? continueToken, long? remaining)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        if (remaining is > 0)
        {
            metadata["remainingItemCount"] = remaining;
        }

        var array = new JsonArray();
        foreach (var item in items)
        {
            array.Add(Encode(item));
        }

        return new JsonObject
        {
            ["kind"] = kind.KindName + "List",
            ["apiVersion"] = kind.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = array,
        };
    }

    /// <summary>A JSON array of strings.</summary>
    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    /// <summary>Writes an answer: as protobuf when the client prefers it and the kind is written so, else as JSON.</summary>

    public static async Task WriteAsync(HttpContext http, int statusCode, JsonNode body, string contentType = ContentType)
    {
        http.Response.StatusCode = statusCode;
        ApiVersionAlias.Rewrite(http, body);
        if (contentType == ContentType && body is JsonObject value && Protobuf.KubeProtobuf.Prefers(http.Request)
            && Protobuf.KubeProtobuf.TryEncode(value) is { } protobuf)
        {
            http.Response.ContentType = Protobuf.KubeProtobuf.ContentType;
            await http.Response.Body.WriteAsync(protobuf, http.RequestAborted).ConfigureAwait(false);
            return;
        }

        http.Response.ContentType = contentType;
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter, s_writerOptions);
        body.WriteTo(writer);
        await writer.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>One line of a watch stream, flushed at once.</summary>
    public static async Task WriteLineAsync(HttpContext http, JsonNode body, CancellationToken cancellationToken)
    {
        ApiVersionAlias.Rewrite(http, body);
        await using (var writer = new Utf8JsonWriter(http.Response.BodyWriter, s_writerOptions))
        {
            body.WriteTo(writer);
        }

        System.Buffers.BuffersExtensions.Write(http.Response.BodyWriter, "\n"u8);
        await http.Response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One watch event line, <c>{"type":TYPE,"object":JSON}</c>, around an object already encoded; flushed when
    /// <paramref name="flush"/> (the API server too flushes only when no further event is waiting).
    /// </summary>
    public static async Task WriteEventLineAsync(HttpContext http, string type, ReadOnlyMemory<byte> json, bool flush, CancellationToken cancellationToken)
    {
        await using (var writer = new Utf8JsonWriter(http.Response.BodyWriter, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WritePropertyName("object");
            writer.WriteRawValue(json.Span, skipInputValidation: true);
            writer.WriteEndObject();
        }

        System.Buffers.BuffersExtensions.Write(http.Response.BodyWriter, "\n"u8);
        if (flush)
        {
            await http.Response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A node as compact UTF-8 JSON.</summary>
    public static byte[] ToUtf8(JsonNode body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            body.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
