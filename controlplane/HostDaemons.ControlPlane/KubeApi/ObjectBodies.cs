using System.Text.RegularExpressions;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>Kubernetes' <c>fieldValidation</c>: what an unknown or duplicated field in a request body does.</summary>
internal enum FieldValidation
{
    Strict,
    Warn,
    Ignore,
}

/// <summary>
/// A request body read as an object of the requested kind, with the decoder every manifest goes through: its
/// <c>apiVersion</c> and <c>kind</c> must be the URL's, and unknown fields are refused, warned about or ignored as
/// <c>fieldValidation</c> says (Strict by default here: HostDaemons declares only the fields it implements, so an unknown
/// field would otherwise be silently dropped). Other decoding errors are always refused.
/// </summary>
internal static partial class ObjectBodies
{
    public static FieldValidation ParseFieldValidation(string? value) => value switch
    {
        null or "" or "Strict" => FieldValidation.Strict,
        "Warn" => FieldValidation.Warn,
        "Ignore" => FieldValidation.Ignore,
        _ => throw new KubeStatusException(KubeStatus.BadRequest($"fieldValidation must be one of \"Ignore\", \"Warn\" or \"Strict\", got \"{value}\"")),
    };

    /// <summary>Decodes <paramref name="text"/> as a <paramref name="kind"/>; warnings are the unknown fields under Warn.</summary>
    public static (IKubeObject Value, IReadOnlyList<string> Warnings) Decode(ResourceKindInfo kind, string text, FieldValidation validation)
    {
        var documents = ManifestParser.Parse(text);
        if (documents.Count != 1 || documents[0].Root is not MappingNode root)
        {
            var syntax = documents.FirstOrDefault(d => d.SyntaxError is not null)?.SyntaxError;
            throw CannotHandle(kind, syntax is null ? "the body is not one object" : $"line {syntax.Position.Line}: {syntax.Message}");
        }

        if (documents[0].SyntaxError is { } error)
        {
            throw CannotHandle(kind, $"line {error.Position.Line}: {error.Message}");
        }

        var apiVersion = root.FindString("apiVersion");
        var kindName = root.FindString("kind");
        if (kindName is not null && kindName != kind.KindName)
        {
            throw new KubeStatusException(KubeStatus.BadRequest($"the kind of the object ({kindName}) does not match the requested kind ({kind.KindName})"));
        }

        if (apiVersion is not null && apiVersion != kind.ApiVersion && DeprecatedApiVersions.Warning(kind, apiVersion) is null)
        {
            throw new KubeStatusException(KubeStatus.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({kind.ApiVersion})"));
        }

        var decoded = ObjectDecoder.Decode(root, kind.Descriptor);
        var unknown = decoded.Errors.Where(e => e.IsUnknownField).Select(UnknownFieldPath).ToList();
        var other = decoded.Errors.Where(e => !e.IsUnknownField).ToList();
        if (other.Count > 0)
        {
            throw CannotHandle(kind, string.Join("; ", other.Select(e => e.FieldPath is null ? e.Message : $"{e.FieldPath}: {e.Message}")));
        }

        if (unknown.Count > 0 && validation == FieldValidation.Strict)
        {
            throw CannotHandle(kind, "strict decoding error: " + string.Join(", ", unknown.Select(u => $"unknown field \"{u}\"")));
        }

        var value = (IKubeObject)decoded.Value;
        value.ApiVersion = kind.ApiVersion;
        value.Kind = kind.KindName;
        return (value, validation == FieldValidation.Warn ? [.. unknown.Select(u => $"unknown field \"{u}\"")] : []);
    }

    private static KubeStatusException CannotHandle(ResourceKindInfo kind, string detail) =>
        new(KubeStatus.BadRequest($"{kind.KindName} in version \"{kind.ApiVersion[(kind.ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..]}\" cannot be handled as a {kind.KindName}: {detail}"));

    /// <summary>The unknown field's full path, as Kubernetes names it: <c>spec.template.spec.containers[0].imgae</c>.</summary>
    private static string UnknownFieldPath(ManifestError error)
    {
        var key = UnknownKey().Match(error.Message) is { Success: true } match ? match.Groups[1].Value : error.Message;
        return error.FieldPath is { Length: > 0 } parent ? $"{parent}.{key}" : key;
    }

    [GeneratedRegex("^unknown field \"([^\"]*)\"")]
    private static partial Regex UnknownKey();
}

/// <summary>A refusal already worded as a Kubernetes Status, thrown inside the REST edge.</summary>
internal sealed class KubeStatusException(KubeStatus status) : Exception(status.Message)
{
    public KubeStatus Status { get; } = status;
}
