using System.Text;
using HostDaemons.Cli.Client;
using HostDaemons.Model.Validation;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// kubectl's ways of filling a ConfigMap from flags, with its messages: <c>--from-literal=key=value</c>,
/// <c>--from-file=[key=]path</c> (a directory gives each regular file in it, by file name; content that is not UTF-8
/// goes to binaryData) and <c>--from-env-file=path</c> (<c>KEY=value</c> lines; a line without <c>=</c> takes the
/// value from the environment).
/// </summary>
internal static class ConfigMapSources
{
    public static void AddLiteral(ConfigMap cm, string source)
    {
        var equals = source.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new CliException($"error: invalid literal source {source}, expected key=value");
        }

        AddText(cm, source[..equals], source[(equals + 1)..].Trim('"', '\''));
    }

    public static void AddFile(ConfigMap cm, string source)
    {
        var (key, path) = ParseFileSource(source);
        if (Directory.Exists(path))
        {
            if (source.Contains('=', StringComparison.Ordinal))
            {
                throw new CliException("error: cannot give a key name for a directory path");
            }

            foreach (var file in Directory.EnumerateFiles(path).Order(StringComparer.Ordinal))
            {
                if (!File.GetAttributes(file).HasFlag(FileAttributes.ReparsePoint))
                {
                    AddFileContent(cm, Path.GetFileName(file), file);
                }
            }

            return;
        }

        if (!File.Exists(path))
        {
            throw new CliException($"error: error reading {path}: no such file or directory");
        }

        AddFileContent(cm, key, path);
    }

    public static void AddEnvFile(ConfigMap cm, string path, Func<string, string?> environment)
    {
        if (Directory.Exists(path))
        {
            throw new CliException("error: env config file cannot be a directory");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"error: error reading {path}: no such file or directory");
        }

        var lines = File.ReadAllText(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false)).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (i == 0)
            {
                line = line.TrimStart('\uFEFF');
            }

            line = line.TrimStart();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? line : line[..equals];
            if (EnvVarNameProblems(key).ToList() is { Count: > 0 } problems)
            {
                throw new CliException($"error: \"{key}\" is not a valid key name: {string.Join(";", problems)}");
            }

            AddText(cm, key, equals < 0 ? environment(key) ?? "" : line[(equals + 1)..]);
        }
    }

    /// <summary>Kubernetes' IsEnvVarName.</summary>
    private static IEnumerable<string> EnvVarNameProblems(string key)
    {
        if (!NameValidation.IsEnvVarName(key))
        {
            yield return NameValidation.EnvVarNameMessage;
        }

        if (key is "." or "..")
        {
            yield return $"must not be '{key}'";
        }
        else if (key.StartsWith("..", StringComparison.Ordinal))
        {
            yield return "must not start with '..'";
        }
    }

    /// <summary>kubectl's ParseFileSource: <c>path</c> (the key is the file's name) or <c>key=path</c>.</summary>
    private static (string Key, string Path) ParseFileSource(string source)
    {
        var separators = source.Count(c => c == '=');
        if (separators == 0)
        {
            return (Path.GetFileName(source.TrimEnd('/')), source);
        }

        if (separators > 1)
        {
            throw new CliException("error: key names or file paths cannot contain '='");
        }

        if (source.StartsWith('='))
        {
            throw new CliException($"error: key name for file path {source[1..]} missing");
        }

        if (source.EndsWith('='))
        {
            throw new CliException($"error: file path for key name {source[..^1]} missing");
        }

        var equals = source.IndexOf('=', StringComparison.Ordinal);
        return (source[..equals], source[(equals + 1)..]);
    }

    private static void AddFileContent(ConfigMap cm, string key, string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            AddText(cm, key, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes));
        }
        catch (DecoderFallbackException)
        {
            CheckNewKey(cm, key);
            cm.BinaryData[key] = Google.Protobuf.ByteString.CopyFrom(bytes);
        }
    }

    private static void AddText(ConfigMap cm, string key, string value)
    {
        CheckNewKey(cm, key);
        cm.Data[key] = value;
    }

    private static void CheckNewKey(ConfigMap cm, string key)
    {
        if (SecretValidator.CheckConfigKey(key).ToList() is { Count: > 0 } problems)
        {
            throw new CliException($"error: \"{key}\" is not a valid key name for a ConfigMap: {string.Join(",", problems)}");
        }

        if (cm.Data.ContainsKey(key))
        {
            throw new CliException($"error: cannot add key \"{key}\", another key by that name already exists in Data for ConfigMap \"{cm.Metadata.Name}\"");
        }

        if (cm.BinaryData.ContainsKey(key))
        {
            throw new CliException($"error: cannot add key \"{key}\", another key by that name already exists in BinaryData for ConfigMap \"{cm.Metadata.Name}\"");
        }
    }
}
