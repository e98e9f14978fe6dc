using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Map = System.Collections.Generic.OrderedDictionary<string, object?>;

namespace HostDaemons.Model.Patching;

/// <summary>
/// JSON patch (RFC 6902, <c>application/json-patch+json</c>) as Kubernetes applies it (evanphx/json-patch v4):
/// <c>add</c>, <c>remove</c>, <c>replace</c>, <c>move</c>, <c>copy</c>, <c>test</c>; JSON pointers with <c>~0</c>/<c>~1</c>
/// escapes, <c>-</c> to append and negative indexes from the end. Kept from v4 as Kubernetes serves it:
/// <c>replace</c> of an object member that does not exist adds it, and a pointer without a leading <c>/</c> names a
/// member of the root. Errors carry v4's messages; at most <see cref="PatchLimits.MaxJsonPatchOperations"/> operations.
/// </summary>
public static class JsonPatch
{
    /// <summary>The document with the operations of <paramref name="patch"/> (a JSON array) applied in order. The inputs are never changed.</summary>
    /// <exception cref="PatchException">
    /// The patch is not a list of operations (<see cref="PatchErrorKind.BadRequest"/>), has too many
    /// (<see cref="PatchErrorKind.RequestEntityTooLarge"/>), or an operation fails (<see cref="PatchErrorKind.UnprocessableEntity"/>).
    /// </exception>
    public static JsonNode Apply(JsonNode document, JsonNode? patch)
    {
        ArgumentNullException.ThrowIfNull(document);
        var operations = Decode(patch);
        if (operations.Count > PatchLimits.MaxJsonPatchOperations)
        {
            throw new PatchException(PatchErrorKind.RequestEntityTooLarge,
                $"The allowed maximum operations in a JSON patch is {PatchLimits.MaxJsonPatchOperations}, got {operations.Count}");
        }

        var root = PlainJson.From(document);
        var size = PlainJson.Count(root);
        foreach (var operation in operations)
        {
            try
            {
                size += ApplyOperation(root, operation);
            }
            catch (JsonPatchFailure failure)
            {
                throw new PatchException(PatchErrorKind.UnprocessableEntity, failure.Message);
            }

            if (size > PatchLimits.MaxNodes)
            {
                throw new PatchException(PatchErrorKind.RequestEntityTooLarge, $"the patched document has more than {PatchLimits.MaxNodes} values");
            }
        }

        return PlainJson.ToNode(root)!;
    }

    private static List<JsonObject> Decode(JsonNode? patch)
    {
        if (patch is not JsonArray array)
        {
            throw new PatchException(PatchErrorKind.BadRequest, $"json: cannot unmarshal {JsonKind(patch)} into Go value of type jsonpatch.Patch");
        }

        var operations = new List<JsonObject>(array.Count);
        foreach (var item in array)
        {
            operations.Add(item as JsonObject ?? (item is null ? [] : throw new PatchException(PatchErrorKind.BadRequest,
                $"json: cannot unmarshal {JsonKind(item)} into Go value of type jsonpatch.Operation")));
        }

        return operations;
    }

    private static string JsonKind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            _ => "bool",
        },
    };

    /// <summary>Applies one operation to the document; answers how many values it added.</summary>
    private static int ApplyOperation(object? root, JsonObject operation)
    {
        var kind = operation["op"] is JsonValue op && op.GetValueKind() == JsonValueKind.String ? op.GetValue<string>() : "unknown";
        switch (kind)
        {
            case "add":
            {
                var path = Path(operation, "path", "add operation failed to decode path", keepCause: false);
                var (container, key) = Find(root, path) ?? throw Missing($"add operation does not apply: doc is missing path: \"{path}\"");
                var value = Value(operation);
                Wrap($"error in add for path: '{path}'", () => Add(container, key, value));
                return PlainJson.Count(value);
            }

            case "remove":
            {
                var path = Path(operation, "path", "remove operation failed to decode path", keepCause: false);
                var (container, key) = Find(root, path) ?? throw Missing($"remove operation does not apply: doc is missing path: \"{path}\"");
                Wrap($"error in remove for path: '{path}'", () => Remove(container, key));
                return 0;
            }

            case "replace":
            {
                var path = Path(operation, "path", "replace operation failed to decode path", keepCause: true);
                var (container, key) = Find(root, path) ?? throw Missing($"replace operation does not apply: doc is missing path: {path}");
                try
                {
                    Get(container, key);
                }
                catch (JsonPatchFailure)
                {
                    throw Missing($"replace operation does not apply: doc is missing key: {path}");
                }

                var value = Value(operation);
                Set(container, key, value);
                return PlainJson.Count(value);
            }

            case "move":
            {
                var from = Path(operation, "from", "move operation failed to decode from", keepCause: true);
                var (source, sourceKey) = Find(root, from) ?? throw Missing($"move operation does not apply: doc is missing from path: {from}");
                var value = Wrap($"error in move for path: '{sourceKey}'", () => Get(source, sourceKey));
                Wrap($"error in move for path: '{sourceKey}'", () => Remove(source, sourceKey));
                var path = Path(operation, "path", "move operation failed to decode path", keepCause: true);
                var (target, key) = Find(root, path) ?? throw Missing($"move operation does not apply: doc is missing destination path: {path}");
                Wrap($"error in move for path: '{path}'", () => Add(target, key, value));
                return 0;
            }

            case "copy":
            {
                var from = Path(operation, "from", "copy operation failed to decode from", keepCause: true);
                var (source, sourceKey) = Find(root, from) ?? throw Missing($"copy operation does not apply: doc is missing from path: {from}");
                var value = Wrap($"error in copy for from: '{from}'", () => Get(source, sourceKey));
                var path = Path(operation, "path", "copy operation failed to decode path", keepCause: false);
                var (target, key) = Find(root, path) ?? throw Missing($"copy operation does not apply: doc is missing destination path: {path}");
                var copy = PlainJson.From(PlainJson.ToNode(value));
                Wrap("error while adding value during copy", () => Add(target, key, copy));
                return PlainJson.Count(copy);
            }

            case "test":
            {
                var path = Path(operation, "path", "test operation failed to decode path", keepCause: true);
                var (container, key) = Find(root, path) ?? throw Missing($"test operation does not apply: is missing path: {path}");
                var actual = Wrap($"error in test for path: '{path}'", () => Get(container, key));
                var expected = operation.TryGetPropertyValue("value", out var node) ? node : null;
                if (!JsonNode.DeepEquals(PlainJson.ToNode(actual), expected))
                {
                    throw new JsonPatchFailure($"testing value {path} failed: test failed");
                }

                return 0;
            }

            default:
                throw new JsonPatchFailure($"Unexpected kind: {kind}");
        }
    }

    private static object? Value(JsonObject operation) =>
        operation.TryGetPropertyValue("value", out var value) ? PlainJson.From(value) : null;

    private static string Path(JsonObject operation, string field, string context, bool keepCause)
    {
        if (!operation.TryGetPropertyValue(field, out var node) || node is null)
        {
            var cause = field == "path" ? "operation missing path field: missing value" : "operation, missing from field: missing value";
            throw new JsonPatchFailure(keepCause ? $"{context}: {cause}" : $"{context}: missing value");
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            throw new JsonPatchFailure(keepCause
                ? $"{context}: json: cannot unmarshal {JsonKind(node)} into Go value of type string"
                : $"{context}: missing value");
        }

        return value.GetValue<string>();
    }

    /// <summary>v4's <c>findObject</c>: the container of the pointer's last token, and that token (unescaped).</summary>
    private static (object Container, string Key)? Find(object? root, string pointer)
    {
        var tokens = pointer.Split('/');
        if (tokens.Length < 2 || root is not (Map or List<object?>))
        {
            return null;
        }

        var container = root;
        foreach (var token in tokens[1..^1])
        {
            object? next;
            try
            {
                next = Get(container, Unescape(token));
            }
            catch (JsonPatchFailure)
            {
                return null;
            }

            if (next is not (Map or List<object?>))
            {
                return null;
            }

            container = next;
        }

        return (container, Unescape(tokens[^1]));
    }

    /// <summary>RFC 6901: <c>~1</c> is <c>/</c> and <c>~0</c> is <c>~</c>, read left to right.</summary>
    private static string Unescape(string token)
    {
        if (!token.Contains('~', StringComparison.Ordinal))
        {
            return token;
        }

        var text = new StringBuilder(token.Length);
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] == '~' && i + 1 < token.Length && token[i + 1] is '0' or '1')
            {
                text.Append(token[++i] == '0' ? '~' : '/');
            }
            else
            {
                text.Append(token[i]);
            }
        }

        return text.ToString();
    }

    private static object? Get(object container, string key)
    {
        if (container is Map map)
        {
            return map.GetValueOrDefault(key);
        }

        var list = (List<object?>)container;
        return list[Index(list, key, list.Count)];
    }

    private static void Set(object container, string key, object? value)
    {
        if (container is Map map)
        {
            map[key] = value;
            return;
        }

        var list = (List<object?>)container;
        list[Index(list, key, list.Count)] = value;
    }

    private static void Add(object container, string key, object? value)
    {
        if (container is Map map)
        {
            map[key] = value;
            return;
        }

        var list = (List<object?>)container;
        if (key == "-")
        {
            list.Add(value);
            return;
        }

        int index;
        try
        {
            index = Index(list, key, list.Count + 1);
        }
        catch (JsonPatchFailure failure) when (failure.IsParseError)
        {
            throw new JsonPatchFailure($"value was not a proper array index: '{key}': {failure.Message}");
        }

        list.Insert(index, value);
    }

    private static void Remove(object container, string key)
    {
        if (container is Map map)
        {
            if (!map.Remove(key))
            {
                throw new JsonPatchFailure($"Unable to remove nonexistent key: {key}: missing value");
            }

            return;
        }

        var list = (List<object?>)container;
        list.RemoveAt(Index(list, key, list.Count));
    }

    /// <summary>An index as Go's <c>strconv.Atoi</c> reads it, below <paramref name="bound"/>; negative counts from the end.</summary>
    private static int Index(List<object?> list, string key, int bound)
    {
        if (!long.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            var reason = key.Length > 0 && key.TrimStart('+', '-').Length > 0 && key.TrimStart('+', '-').All(char.IsAsciiDigit) ? "value out of range" : "invalid syntax";
            throw new JsonPatchFailure($"strconv.Atoi: parsing {Serialization.GoStrings.Quote(key)}: {reason}", isParseError: true);
        }

        if (parsed >= bound || parsed < -bound)
        {
            throw new JsonPatchFailure($"Unable to access invalid index: {parsed}: invalid index referenced");
        }

        return (int)(parsed < 0 ? parsed + bound : parsed);
    }

    private static JsonPatchFailure Missing(string message) => new($"{message}: missing value");

    private static void Wrap(string context, Action action) => Wrap(context, () =>
    {
        action();
        return 0;
    });

    private static T Wrap<T>(string context, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (JsonPatchFailure failure)
        {
            throw new JsonPatchFailure($"{context}: {failure.Message}");
        }
    }

    /// <summary>A failed operation, worded as evanphx/json-patch wraps its errors.</summary>
    private sealed class JsonPatchFailure(string message, bool isParseError = false) : Exception(message)
    {
        public bool IsParseError { get; } = isParseError;
    }
}
