using System.Text.RegularExpressions;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>Kubernetes' IsValidPortNum, IsValidPortName and ValidatePortNumOrName, with their messages.</summary>
public static partial class PortValidation
{
    public const string PortNumberMessage = "must be between 1 and 65535, inclusive";

    /// <summary>The reasons <paramref name="name"/> is not an IANA_SVC_NAME (what a named port may be called).</summary>
    public static IEnumerable<string> CheckPortName(string name)
    {
        if (name.Length > 15)
        {
            yield return "must be no more than 15 characters";
        }

        if (!PortNameCharset().IsMatch(name))
        {
            yield return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
        }

        if (!name.Any(c => c is >= 'a' and <= 'z'))
        {
            yield return "must contain at least one letter (a-z)";
        }

        if (name.Contains("--", StringComparison.Ordinal))
        {
            yield return "must not contain consecutive hyphens";
        }

        if (name.Length > 0 && (name[0] == '-' || name[^1] == '-'))
        {
            yield return "must not begin or end with a hyphen";
        }
    }

    public static bool IsPortNumber(int port) => port is >= 1 and <= 65535;

    /// <summary>A port number, or the name of a port.</summary>
    public static void ValidateNumberOrName(IntOrString port, string path, ValidationErrors errors)
    {
        if (port.ValueCase == IntOrString.ValueOneofCase.StringValue)
        {
            foreach (var problem in CheckPortName(port.StringValue))
            {
                errors.Invalid(path, port.StringValue, problem);
            }
        }
        else if (!IsPortNumber(port.IntValue))
        {
            errors.Invalid(path, port.IntValue, PortNumberMessage);
        }
    }

    [GeneratedRegex("^[-a-z0-9]+$")]
    private static partial Regex PortNameCharset();
}
