using System.Globalization;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>The options after the command: <c>--name value</c> pairs and bare <c>--flag</c>s.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public BenchArgs(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var arg = list[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new BenchUsageException($"unexpected argument \"{arg}\"");
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                _values[arg[2..eq]] = arg[(eq + 1)..];
            }
            else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                _values[arg[2..]] = list[++i];
            }
            else
            {
                _values[arg[2..]] = null;
            }
        }
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _values.ContainsKey(name);
    }

    public string? String(string name, string? fallback = null)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out var value) && value is not null ? value : fallback;
    }

    public int Int(string name, int fallback)
    {
        var text = String(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new BenchUsageException($"--{name} wants a whole number, not \"{text}\"");
    }

    public IReadOnlyList<int> Ints(string name, IReadOnlyList<int> fallback)
    {
        var text = String(name);
        if (text is null)
        {
            return fallback;
        }

        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new BenchUsageException($"--{name} wants numbers separated by commas (1000,5000), not \"{text}\""))
            .ToList();
    }

    public TimeSpan Duration(string name, TimeSpan fallback)
    {
        var text = String(name);
        if (text is null)
        {
            return fallback;
        }

        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? TimeSpan.FromSeconds(value * unit)
            : throw new BenchUsageException($"--{name} wants a duration (500ms, 20s, 1m), not \"{text}\"");
    }

    /// <summary>Fails on an option no benchmark asked for: a typo must not silently run the default.</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(key => !_used.Contains(key)).ToList();
        if (unknown.Count > 0)
        {
            throw new BenchUsageException($"unknown option --{unknown[0]}");
        }
    }
}

internal sealed class BenchUsageException(string message) : Exception(message);

/// <summary>A run that could not measure what it set out to (a broken run, as opposed to a slow one).</summary>
internal sealed class BenchFailedException(string message) : Exception(message);
