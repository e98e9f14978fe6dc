namespace HostDaemons.Agent.Policy;

/// <summary>
/// One entry of the agent's <c>allowed-host-paths</c>: hostPath volumes may mount <see cref="PathPrefix"/> and what is
/// below it, only read-only when <see cref="ReadOnly"/>. As a flag or variable an entry is written <c>PREFIX</c> or
/// <c>PREFIX:ro</c>, entries separated by commas; in the settings file as <c>{pathPrefix: PREFIX, readOnly: true}</c>
/// (the names of Kubernetes' PodSecurityPolicy <c>allowedHostPaths</c>).
/// </summary>
internal sealed record AllowedHostPath(string PathPrefix, bool ReadOnly)
{
    private const string ReadOnlySuffix = ":ro";

    public override string ToString() => ReadOnly ? $"{PathPrefix} read-only" : PathPrefix;

    /// <summary>
    /// Reads the setting: null (not set) is any path, and gives null; an empty one is no path at all. A prefix must be
    /// absolute, without <c>.</c> or <c>..</c> components.
    /// </summary>
    public static bool TryParseList(string? text, out IReadOnlyList<AllowedHostPath>? entries, out string error)
    {
        entries = null;
        error = "";
        if (text is null)
        {
            return true;
        }

        var list = new List<AllowedHostPath>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var readOnly = item.EndsWith(ReadOnlySuffix, StringComparison.Ordinal);
            var prefix = readOnly ? item[..^ReadOnlySuffix.Length] : item;
            if (!prefix.StartsWith('/') || prefix.Split('/').Any(c => c is "." or ".."))
            {
                error = $"\"{item}\" is not an absolute path without . or .. (write /var/log, or /var/log:ro for read-only)";
                return false;
            }

            list.Add(new AllowedHostPath(prefix.Length > 1 ? prefix.TrimEnd('/') : prefix, readOnly));
        }

        entries = list;
        return true;
    }

    /// <summary>An entry of the settings file's list, <c>{pathPrefix: /var/log, readOnly: true}</c>, as the item a flag would give.</summary>
    public static string FormatSettingItem(IReadOnlyDictionary<string, string?> item)
    {
        if (item.Keys.FirstOrDefault(k => k is not ("pathPrefix" or "readOnly")) is { } unknown)
        {
            throw new FormatException($"unknown field \"{unknown}\" (an entry has pathPrefix and readOnly)");
        }

        if (item.GetValueOrDefault("pathPrefix") is not { Length: > 0 } prefix)
        {
            throw new FormatException("an entry needs a pathPrefix");
        }

        return item.GetValueOrDefault("readOnly") switch
        {
            null or "false" => prefix,
            "true" => prefix + ReadOnlySuffix,
            var other => throw new FormatException($"readOnly must be true or false, got \"{other}\""),
        };
    }
}
