using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HostDaemons.Model.Validation;

/// <summary>Kubernetes' name, label and annotation rules, with its messages.</summary>
public static partial class NameValidation
{
    public const string Dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    public const string Dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    public const string QualifiedNameMessage =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    public const string EnvVarNameMessage =
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

    public const string Dns1035LabelMessage =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    public const string IpAddressMessage = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

    public static bool IsDns1123Subdomain(string value) => value.Length is > 0 and <= 253 && Dns1123Subdomain().IsMatch(value);

    public static bool IsDns1123Label(string value) => value.Length is > 0 and <= 63 && Dns1123Label().IsMatch(value);

    /// <summary>Kubernetes' IsDNS1035Label (Service names): the reasons <paramref name="value"/> is not one.</summary>
    public static IEnumerable<string> CheckDns1035Label(string value)
    {
        if (value.Length > 63)
        {
            yield return "must be no more than 63 characters";
        }

        if (!Dns1035Label().IsMatch(value))
        {
            yield return Dns1035LabelMessage;
        }
    }

    /// <summary>Kubernetes' IsValidPathSegmentName (RBAC names): the reasons <paramref name="value"/> is not a path segment.</summary>
    public static IEnumerable<string> CheckPathSegmentName(string value)
    {
        if (value is "." or "..")
        {
            yield return $"may not be '{value}'";
            yield break;
        }

        foreach (var illegal in (string[])["/", "%"])
        {
            if (value.Contains(illegal, StringComparison.Ordinal))
            {
                yield return $"may not contain '{illegal}'";
            }
        }
    }

    public static bool IsLabelValue(string value) => value.Length <= 63 && LabelValue().IsMatch(value);

    public static bool IsEnvVarName(string value) => EnvVarName().IsMatch(value);

    /// <summary>
    /// An IP address in its canonical form only: .NET also reads "8.8.8" or "0x7f.0.0.1", which resolv.conf, /etc/hosts
    /// and Docker would not.
    /// </summary>
    public static bool IsIpAddress(string text) =>
        System.Net.IPAddress.TryParse(text, out var address)
        && !(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        && string.Equals(address.ToString(), text, StringComparison.OrdinalIgnoreCase);

    /// <summary>A qualified name (<c>prefix/name</c>): null when valid, else the reason.</summary>
    public static string? CheckQualifiedName(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? value : value[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = value[..slash];
            if (!IsDns1123Subdomain(prefix))
            {
                return "prefix part " + Dns1123SubdomainMessage;
            }
        }

        if (name.Length == 0)
        {
            return "name part must be non-empty";
        }

        if (name.Length > 63)
        {
            return "name part must be no more than 63 characters";
        }

        return QualifiedName().IsMatch(name) ? null : QualifiedNameMessage;
    }

    public static void ValidateLabels(IEnumerable<KeyValuePair<string, string>> labels, string path, ValidationErrors errors)
    {
        foreach (var (key, value) in labels)
        {
            if (CheckQualifiedName(key) is { } keyProblem)
            {
                errors.Invalid(path, key, keyProblem);
            }

            if (!IsLabelValue(value))
            {
                errors.Invalid(path, value, value.Length > 63 ? "must be no more than 63 characters" : LabelValueMessage);
            }
        }
    }

    /// <summary>Kubernetes' <c>TotalAnnotationSizeLimitB</c>: the keys and values of an object's annotations together, in bytes.</summary>
    public const int MaxTotalAnnotationBytes = 256 * 1024;

    public static void ValidateAnnotationKeys(IEnumerable<KeyValuePair<string, string>> annotations, string path, ValidationErrors errors)
    {
        var total = 0L;
        foreach (var (key, value) in annotations)
        {
            if (CheckQualifiedName(key.ToLowerInvariant()) is { } keyProblem)
            {
                errors.Invalid(path, key, keyProblem);
            }

            total += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        }

        if (total > MaxTotalAnnotationBytes)
        {
            errors.Add(new FieldError(path, FieldErrorType.TooLong, string.Create(CultureInfo.InvariantCulture, $"must have at most {MaxTotalAnnotationBytes} bytes")));
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex("^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvVarName();
}
