using HostDaemons.Model.Serialization;

namespace HostDaemons.Cli.Manifests;

/// <summary>Reads <c>-f</c> arguments as kubectl does: files, directories (their .yaml, .yml and .json files) and <c>-</c> for stdin.</summary>
internal static class ManifestFiles
{
    private static readonly string[] s_extensions = [".yaml", ".yml", ".json"];

    public static ManifestReadResult Read(IEnumerable<string> paths, TextReader stdin)
    {
        var objects = new List<ManifestObject>();
        var problems = new List<ManifestProblem>();
        foreach (var path in paths)
        {
            foreach (var (source, text) in Expand(path, stdin))
            {
                var result = ManifestReader.Read(text, source);
                objects.AddRange(result.Objects);
                problems.AddRange(result.Problems);
            }
        }

        return new ManifestReadResult(objects, problems);
    }

    /// <summary>What the manifest reader warns about an object (an older API version), as kubectl prints a server's warnings.</summary>
    public static async Task WriteWarningsAsync(ManifestObject item, TextWriter error)
    {
        foreach (var warning in item.Warnings)
        {
            await error.WriteLineAsync($"Warning: {warning}");
        }
    }

    private static IEnumerable<(string Source, string Text)> Expand(string path, TextReader stdin)
    {
        if (path == "-")
        {
            yield return ("STDIN", stdin.ReadToEnd());
            yield break;
        }

        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path)
                .Where(f => s_extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (files.Count == 0)
            {
                throw new Client.CliException($"error: no objects passed to apply: no .yaml, .yml or .json files in \"{path}\"");
            }

            foreach (var file in files)
            {
                yield return (file, File.ReadAllText(file));
            }

            yield break;
        }

        if (!File.Exists(path))
        {
            throw new Client.CliException($"error: the path \"{path}\" does not exist");
        }

        yield return (path, File.ReadAllText(path));
    }
}
