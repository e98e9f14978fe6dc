using System.Text.RegularExpressions;
using HostDaemons.Model.Serialization;

namespace HostDaemons.Cli.Manifests;

/// <summary>Places a server's error about an object back at the file and line the object came from.</summary>
internal static partial class ManifestErrors
{
    public static string Locate(ManifestObject source, string message)
    {
        var match = InvalidField().Match(message);
        var position = match.Success ? source.Positions.Find(match.Groups["path"].Value) : null;
        var line = position?.Line ?? source.StartLine;
        return $"error: {source.Source}:{line}: {message}";
    }

    [GeneratedRegex(@" is invalid: \[?(?<path>[A-Za-z0-9_.\[\]/-]+):")]
    private static partial Regex InvalidField();
}
