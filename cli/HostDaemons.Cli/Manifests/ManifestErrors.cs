using System.Text.RegularExpressions;
using Grpc.Core;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.Validation;

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

    /// <summary>
    /// The file and line of each field a refusal names in its trailers (<see cref="ErrorFieldPaths"/>), one
    /// <c>FILE:LINE: PATH</c> line each, as the compilers and linters an editor jumps from write them.
    /// </summary>
    public static IEnumerable<string> LocateFields(ManifestObject source, Metadata trailers) =>
        trailers.Where(t => t.Key == ErrorFieldPaths.TrailerKey && !t.IsBinary)
            .Select(t => $"{source.Source}:{source.Positions.Find(t.Value)?.Line ?? source.StartLine}: {t.Value}");

    [GeneratedRegex(@" is invalid: \[?(?<path>[A-Za-z0-9_.\[\]/-]+):")]
    private static partial Regex InvalidField();
}
