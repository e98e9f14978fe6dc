using System.Text;
using HostDaemons.Model.Serialization;

namespace HostDaemons.Cli.Manifests;

/// <summary>Reads <c>-f</c> arguments as kubectl does: files, directories (their .yaml, .yml and .json files) and <c>-</c> for stdin.</summary>
internal static class ManifestFiles
{
    private static readonly string[] s_extensions = [".yaml", ".yml", ".json"];

    /// <summary>The names kustomize looks for in a directory.</summary>
    private static readonly HashSet<string> s_kustomizationFiles = new(StringComparer.Ordinal) { "kustomization.yaml", "kustomization.yml", "Kustomization" };

    /// <summary>
    /// Reads every manifest. A directory's kustomization file (kubectl's <c>-k</c> input, which hdctl does not build) is
    /// skipped with a warning on <paramref name="error"/>, so a directory that ships one beside its manifests applies as they are.
    /// </summary>
    public static ManifestReadResult Read(IEnumerable<string> paths, TextReader stdin, TextWriter error)
    {
        var objects = new List<ManifestObject>();
        var problems = new List<ManifestProblem>();
        foreach (var path in paths)
        {
            foreach (var (source, text) in Expand(path, stdin, error))
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

    private static IEnumerable<(string Source, string Text)> Expand(string path, TextReader stdin, TextWriter error)
    {
        if (path == "-")
        {
            yield return ("STDIN", ReadBounded(stdin, "STDIN"));
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
                if (s_kustomizationFiles.Contains(Path.GetFileName(file)))
                {
                    error.WriteLine($"Warning: skipping {file}: a kustomization is built by 'kubectl apply -k', which hdctl does not do; the directory's other manifests are read as they are");
                    continue;
                }

                yield return (file, ReadFile(file));
            }

            yield break;
        }

        if (!File.Exists(path))
        {
            throw new Client.CliException($"error: the path \"{path}\" does not exist");
        }

        yield return (path, ReadFile(path));
    }

    /// <summary>The file's text, refused unread when it is over <see cref="InputLimits.MaxManifestFileBytes"/>.</summary>
    private static string ReadFile(string path)
    {
        using var file = File.OpenRead(path);
        if (file.Length > InputLimits.MaxManifestFileBytes)
        {
            throw TooLarge(path);
        }

        using var reader = new StreamReader(file);
        return ReadBounded(reader, path);
    }

    /// <summary>At most the limit's worth of text (a file may grow while it is read; stdin has no length).</summary>
    private static string ReadBounded(TextReader reader, string source)
    {
        var text = new StringBuilder();
        var buffer = new char[64 * 1024];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (text.Length + read > InputLimits.MaxManifestFileBytes)
            {
                throw TooLarge(source);
            }

            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    private static Client.CliException TooLarge(string source) =>
        new($"error: {source} is larger than the {InputLimits.MaxManifestFileBytes} bytes a manifest file may have");
}
