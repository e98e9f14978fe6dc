using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HostDaemons.Model.Patching;

/// <summary>
/// The mutable form the patch algorithms work on, as Go's decoded JSON is: an object is an
/// <see cref="OrderedDictionary{TKey, TValue}"/>, a list a <see cref="List{T}"/>, a scalar the (never changed)
/// <see cref="JsonValue"/> it came from, null is null. Converting checks <see cref="PatchLimits"/>.
/// </summary>
internal static class PlainJson
{
    public static object? From(JsonNode? node)
    {
        var budget = PatchLimits.MaxNodes;
        return From(node, 0, ref budget);
    }

    private static object? From(JsonNode? node, int depth, ref int budget)
    {
        if (--budget < 0)
        {
            throw new PatchException(PatchErrorKind.RequestEntityTooLarge, $"the document has more than {PatchLimits.MaxNodes} values");
        }

        if (depth > PatchLimits.MaxDepth && node is JsonObject or JsonArray)
        {
            throw new PatchException(PatchErrorKind.BadRequest, $"the document is nested deeper than {PatchLimits.MaxDepth} levels");
        }

        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var map = new OrderedDictionary<string, object?>(obj.Count, StringComparer.Ordinal);
                foreach (var (key, value) in obj)
                {
                    map[key] = From(value, depth + 1, ref budget);
                }

                return map;
            case JsonArray array:
                var list = new List<object?>(array.Count);
                foreach (var item in array)
                {
                    list.Add(From(item, depth + 1, ref budget));
                }

                return list;
            default:
                return node.AsValue();
        }
    }

    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        OrderedDictionary<string, object?> map => ToObject(map),
        List<object?> list => new JsonArray(list.Select(ToNode).ToArray()),
        JsonValue scalar => scalar.DeepClone(),
        _ => throw new InvalidOperationException($"unexpected {value.GetType().Name} in a JSON tree"),
    };

    private static JsonObject ToObject(OrderedDictionary<string, object?> map)
    {
        var result = new JsonObject();
        foreach (var (key, value) in map)
        {
            result[key] = ToNode(value);
        }

        return result;
    }

    /// <summary>A string equal for two values exactly when Go's <c>==</c> on their decoded forms is (numbers by value).</summary>
    public static string Key(object? value) => value switch
    {
        null => "null",
        JsonValue scalar => scalar.GetValueKind() switch
        {
            JsonValueKind.String => "s" + scalar.GetValue<string>(),
            JsonValueKind.Number => "n" + NumberText(scalar),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "j" + scalar.ToJsonString(),
        },
        _ => "j" + ToNode(value)!.ToJsonString(),
    };

    private static string NumberText(JsonValue number)
    {
        if (number.TryGetValue<long>(out var integer))
        {
            return integer.ToString(CultureInfo.InvariantCulture);
        }

        var text = number.ToJsonString();
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out integer)
            ? integer.ToString(CultureInfo.InvariantCulture)
            : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>The kind of a value as Kubernetes' element type checks see it: map, slice or the scalar's Go type.</summary>
    public static string GoType(object? value) => value switch
    {
        null => "<nil>",
        OrderedDictionary<string, object?> => "map[string]interface {}",
        List<object?> => "[]interface {}",
        JsonValue scalar => scalar.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "bool",
            JsonValueKind.Number => IsInteger(scalar) ? "int64" : "float64",
            _ => "interface {}",
        },
        _ => "interface {}",
    };

    private static bool IsInteger(JsonValue number) =>
        long.TryParse(number.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _);

    /// <summary>Go's <c>%v</c> of a decoded JSON value, as Kubernetes' patch errors print them: <c>map[image:nginx name:app]</c>.</summary>
    public static string GoFormat(object? value)
    {
        var text = new StringBuilder();
        AppendGo(text, value);
        return text.ToString();
    }

    private static void AppendGo(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("<nil>");
                break;
            case OrderedDictionary<string, object?> map:
                text.Append("map[");
                var first = true;
                foreach (var key in map.Keys.Order(StringComparer.Ordinal))
                {
                    text.Append(first ? "" : " ").Append(key).Append(':');
                    AppendGo(text, map[key]);
                    first = false;
                }

                text.Append(']');
                break;
            case List<object?> list:
                text.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    text.Append(i == 0 ? "" : " ");
                    AppendGo(text, list[i]);
                }

                text.Append(']');
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                text.Append(scalar.GetValue<string>());
                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.Number && !IsInteger(scalar):
                text.Append(double.Parse(scalar.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture));
                break;
            case JsonValue scalar:
                text.Append(scalar.ToJsonString());
                break;
        }
    }

    /// <summary>
    /// A value without the null members of its objects, at any depth (null list items stay): Kubernetes'
    /// <c>discardNullValuesFromPatch</c> and evanphx/json-patch's <c>pruneNulls</c>. Changes the value in place.
    /// </summary>
    public static object? DiscardNulls(object? value)
    {
        switch (value)
        {
            case OrderedDictionary<string, object?> map:
                foreach (var key in map.Where(e => e.Value is null).Select(e => e.Key).ToList())
                {
                    map.Remove(key);
                }

                foreach (var (_, child) in map)
                {
                    DiscardNulls(child);
                }

                break;
            case List<object?> list:
                foreach (var item in list)
                {
                    DiscardNulls(item);
                }

                break;
        }

        return value;
    }

    /// <summary>How many values (objects, lists, scalars and nulls) a value holds, itself included.</summary>
    public static int Count(object? value) => value switch
    {
        OrderedDictionary<string, object?> map => 1 + map.Sum(e => Count(e.Value)),
        List<object?> list => 1 + list.Sum(Count),
        _ => 1,
    };
}
