using System.Globalization;
using Google.Protobuf;
using HostDaemons.Model.Serialization;

namespace HostDaemons.Model.Validation;

/// <summary>One invalid field, worded as Kubernetes words it (<c>spec.selector: Required value</c>).</summary>
public sealed record FieldError(string Path, FieldErrorType Type, string Detail = "", object? BadValue = null)
{
    public override string ToString()
    {
        var text = Type switch
        {
            FieldErrorType.Required => "Required value",
            FieldErrorType.Invalid => $"Invalid value: {FormatValue(BadValue)}",
            FieldErrorType.NotSupported => $"Unsupported value: {FormatValue(BadValue)}",
            FieldErrorType.Duplicate => $"Duplicate value: {FormatValue(BadValue)}",
            FieldErrorType.NotFound => $"Not found: {FormatValue(BadValue)}",
            FieldErrorType.Forbidden => "Forbidden",
            FieldErrorType.TooLong => "Too long",
            FieldErrorType.TooMany => $"Too many: {FormatValue(BadValue)}",
            _ => "Invalid value",
        };
        return Detail.Length == 0 ? $"{Path}: {text}" : $"{Path}: {text}: {Detail}";
    }

    private static string FormatValue(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        IMessage message => ObjectEncoder.Encode(message).ToJsonString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable<KeyValuePair<string, string>> map => "map[string]string{" + string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":\"{p.Value}\"")) + "}",
        _ => value.ToString() ?? "",
    };
}

public enum FieldErrorType
{
    Required,
    Invalid,
    NotSupported,
    Duplicate,
    NotFound,
    Forbidden,
    TooLong,
    TooMany,
}
