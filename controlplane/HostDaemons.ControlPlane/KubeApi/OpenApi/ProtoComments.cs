using System.Text.RegularExpressions;

namespace HostDaemons.ControlPlane.KubeApi.OpenApi;

/// <summary>
/// The comments of HostDaemons' .proto files (embedded at build time), by the full name of the message or field they
/// precede. The C# descriptors carry no source info, and these comments are the only description HostDaemons has of
/// its own fields.
/// </summary>
internal sealed partial class ProtoComments
{
    private const string ResourcePrefix = "HostDaemons.ControlPlane.KubeApi.OpenApi.Protos.";

    private readonly Dictionary<string, string> _byFullName;

    private ProtoComments(Dictionary<string, string> byFullName) => _byFullName = byFullName;

    public static ProtoComments Embedded { get; } = LoadEmbedded();

    public string? For(string fullName) => _byFullName.GetValueOrDefault(fullName);

    public static ProtoComments Parse(IEnumerable<string> protoSources)
    {
        var byFullName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in protoSources)
        {
            ParseFile(source, byFullName);
        }

        return new ProtoComments(byFullName);
    }

    private static ProtoComments LoadEmbedded()
    {
        var assembly = typeof(ProtoComments).Assembly;
        var sources = new List<string>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            sources.Add(reader.ReadToEnd());
        }

        return Parse(sources);
    }

    private static void ParseFile(string source, Dictionary<string, string> byFullName)
    {
        var package = "";
        var scopes = new Stack<string?>(); // a message's full name, or null for oneof, enum and service blocks
        var pending = new List<string>();
        foreach (var rawLine in source.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith("//", StringComparison.Ordinal))
            {
                pending.Add(line[2..].Trim());
                continue;
            }

            var comment = pending.Count == 0 ? null : string.Join(' ', pending);
            pending.Clear();
            if (line.Length == 0)
            {
                continue;
            }

            if (PackageLine().Match(line) is { Success: true } packageMatch)
            {
                package = packageMatch.Groups[1].Value;
            }
            else if (BlockLine().Match(line) is { Success: true } block)
            {
                var isMessage = block.Groups[1].Value == "message";
                var parent = scopes.FirstOrDefault(s => s is not null) ?? package;
                var fullName = isMessage ? $"{parent}.{block.Groups[2].Value}" : null;
                if (fullName is not null && comment is not null)
                {
                    byFullName[fullName] = comment;
                }

                if (!line.EndsWith('}'))
                {
                    scopes.Push(fullName);
                }
            }
            else if (line.StartsWith('}'))
            {
                scopes.TryPop(out _);
            }
            else if (FieldLine().Match(line) is { Success: true } field && comment is not null
                     && scopes.FirstOrDefault(s => s is not null) is { } message)
            {
                byFullName[$"{message}.{field.Groups[1].Value}"] = comment;
            }
        }
    }

    [GeneratedRegex(@"^package\s+([\w.]+)\s*;")]
    private static partial Regex PackageLine();

    [GeneratedRegex(@"^(message|oneof|enum|service)\s+(\w+)\s*\{")]
    private static partial Regex BlockLine();

    [GeneratedRegex(@"^(?:repeated\s+|optional\s+)?(?:map\s*<[^>]+>|[\w.]+)\s+(\w+)\s*=\s*\d+")]
    private static partial Regex FieldLine();
}
