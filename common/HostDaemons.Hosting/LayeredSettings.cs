using HostDaemons.Model.Quantities;
using HostDaemons.Model.Serialization;

namespace HostDaemons.Hosting;

/// <summary>
/// The daemons' settings, as PRODUCT.md promises them: a YAML file, then <c>HOSTDAEMONS_*</c> environment variables,
/// then flags, each overriding the one before. Every layer uses the flag names (<c>node-name</c>), and each setting lands
/// in configuration at <c>Section:PascalName</c> for the options binder.
/// </summary>
public sealed partial class LayeredSettings
{
    public const string EnvironmentPrefix = "HOSTDAEMONS_";

    private readonly string _section;
    private readonly IReadOnlyList<string> _flags;
    private readonly IReadOnlySet<string> _durations;
    private readonly IReadOnlyDictionary<string, Func<IReadOnlyDictionary<string, string?>, string>> _lists;

    /// <param name="section">The configuration section the options bind from.</param>
    /// <param name="flags">Every setting's flag name.</param>
    /// <param name="durations">The flags whose values are durations, written as Go writes them (<c>40s</c>, <c>1h30m</c>, <c>250ms</c>).</param>
    /// <param name="lists">
    /// The flags whose value is a list: a flag or variable gives it as comma-separated items, the file as a YAML
    /// sequence whose items are values or mappings of values; the function writes a mapping as the item it stands for
    /// (throwing <see cref="FormatException"/> with what is wrong). An empty sequence is the empty string.
    /// </param>
    public LayeredSettings(string section, IReadOnlyList<string> flags, IReadOnlySet<string>? durations = null,
        IReadOnlyDictionary<string, Func<IReadOnlyDictionary<string, string?>, string>>? lists = null)
    {
        _section = section;
        _flags = flags;
        _durations = durations ?? new HashSet<string>();
        _lists = lists ?? new Dictionary<string, Func<IReadOnlyDictionary<string, string?>, string>>();
    }

    /// <summary>Reads the three layers. Throws <see cref="SettingsException"/> naming the file line or flag at fault.</summary>
    public IReadOnlyDictionary<string, string?> Read(string[] args, string defaultConfigFile, IReadOnlyDictionary<string, string?> environment)
    {
        var flagValues = ParseFlags(args);
        var configFile = flagValues.GetValueOrDefault("config") ?? environment.GetValueOrDefault(EnvironmentPrefix + "CONFIG") ?? defaultConfigFile;
        var explicitFile = flagValues.ContainsKey("config") || environment.ContainsKey(EnvironmentPrefix + "CONFIG");

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (flag, value, line) in ReadFile(configFile, explicitFile))
        {
            values[Key(flag)] = Convert(flag, value, $"{configFile}:{line}");
        }

        foreach (var flag in _flags)
        {
            var variable = EnvironmentPrefix + flag.Replace('-', '_').ToUpperInvariant();
            if (environment.TryGetValue(variable, out var value))
            {
                values[Key(flag)] = Convert(flag, value, variable);
            }
        }

        foreach (var (flag, value) in flagValues)
        {
            if (flag != "config")
            {
                values[Key(flag)] = Convert(flag, value, $"--{flag}");
            }
        }

        return values;
    }

    private string? Convert(string flag, string? value, string origin)
    {
        if (value is null || !_durations.Contains(flag))
        {
            return value;
        }

        if (GoDuration.TryParse(value, out var duration))
        {
            return duration.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }

        throw new SettingsException($"{origin}: \"{value}\" is not a duration (write it as 40s, 5m or 1h30m)");
    }

    public static IReadOnlyDictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
            {
                result[key] = entry.Value as string;
            }
        }

        return result;
    }

    /// <summary>The configuration key a flag binds to: <c>node-name</c> → <c>Agent:NodeName</c>.</summary>
    public string Key(string flag) => $"{_section}:{string.Concat(flag.Split('-').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]))}";

    private Dictionary<string, string> ParseFlags(string[] args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new SettingsException($"unexpected argument \"{arg}\": settings are given as --name value");
            }

            var body = arg[2..];
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            var name = equals >= 0 ? body[..equals] : body;
            if (name != "config" && !_flags.Contains(name))
            {
                throw new SettingsException(Unknown($"flag --{name}", name, "--"));
            }

            string value;
            if (equals >= 0)
            {
                value = body[(equals + 1)..];
            }
            else if (i + 1 < args.Length)
            {
                value = args[++i];
            }
            else
            {
                throw new SettingsException($"flag --{name} needs a value");
            }

            result[name] = value;
        }

        return result;
    }

    private IEnumerable<(string Flag, string? Value, int Line)> ReadFile(string path, bool mustExist)
    {
        if (!File.Exists(path))
        {
            if (mustExist)
            {
                throw new SettingsException($"{path}: config file not found");
            }

            yield break;
        }

        var documents = ManifestParser.Parse(File.ReadAllText(path));
        if (documents.FirstOrDefault(d => d.SyntaxError is not null)?.SyntaxError is { } syntax)
        {
            throw new SettingsException($"{path}:{syntax.Position.Line}: {syntax.Message}");
        }

        var root = documents.FirstOrDefault(d => d.Root is not null)?.Root;
        if (root is null or ScalarNode { IsNull: true })
        {
            yield break;
        }

        if (root is not MappingNode mapping)
        {
            throw new SettingsException($"{path}:{root.Position.Line}: expected \"name: value\" settings");
        }

        foreach (var entry in mapping.Entries)
        {
            var flag = _flags.FirstOrDefault(f => Normalize(f) == Normalize(entry.Key))
                ?? throw new SettingsException($"{path}:{entry.KeyPosition.Line}: {Unknown($"setting \"{entry.Key}\"", entry.Key, "")}");
            yield return (flag, entry.Value switch
            {
                ScalarNode { IsNull: true } => null,
                ScalarNode scalar => scalar.Value,
                MappingNode map when map.Entries.All(e => e.Value is ScalarNode) =>
                    string.Join(",", map.Entries.Select(e => $"{e.Key}={((ScalarNode)e.Value).Value}")),
                SequenceNode list when _lists.TryGetValue(flag, out var format) => string.Join(",", list.Items.Select(i => ListItem(path, flag, i, format))),
                _ => throw new SettingsException($"{path}:{entry.Value.Position.Line}: setting \"{entry.Key}\" must be a single value"),
            }, entry.KeyPosition.Line);
        }
    }

    private static string ListItem(string path, string flag, ManifestNode item, Func<IReadOnlyDictionary<string, string?>, string> format)
    {
        try
        {
            var text = item switch
            {
                ScalarNode { IsNull: false } scalar => scalar.Value ?? "",
                MappingNode map when map.Entries.All(e => e.Value is ScalarNode) =>
                    format(map.Entries.ToDictionary(e => e.Key, e => ((ScalarNode)e.Value).IsNull ? null : ((ScalarNode)e.Value).Value, StringComparer.Ordinal)),
                _ => throw new FormatException("each item must be a value or a mapping of values"),
            };
            return text.Contains(',', StringComparison.Ordinal) ? throw new FormatException($"an item may not hold a comma (\"{text}\")") : text;
        }
        catch (FormatException ex)
        {
            throw new SettingsException($"{path}:{item.Position.Line}: setting \"{flag}\": {ex.Message}");
        }
    }

    private string Unknown(string what, string name, string prefix)
    {
        var suggestion = Suggestions.Closest(name, _flags);
        return suggestion is null ? $"unknown {what}" : $"unknown {what} (did you mean \"{prefix}{suggestion}\"?)";
    }

    private static string Normalize(string name) => name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}

/// <summary>A bad flag, environment variable or config file line: the message names it.</summary>
public sealed class SettingsException(string message) : Exception(message);
