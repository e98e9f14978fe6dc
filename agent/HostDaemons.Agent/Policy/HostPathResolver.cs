namespace HostDaemons.Agent.Policy;

/// <summary>
/// Where a host path really is: each component in turn, following symbolic links on the host as the kernel does
/// when it mounts (a link's target replaces the link, an absolute one from the root), and <c>..</c> taken from the
/// real parent, so <c>/var/log/../../etc</c> and a link <c>/var/log/x -&gt; /etc</c> both come out as <c>/etc</c>.
/// Components that do not exist yet (a DirectoryOrCreate path) are kept as written: the directories created for them
/// are not links.
/// </summary>
internal static class HostPathResolver
{
    /// <summary>As Linux's MAXSYMLINKS: more links than this on one path is a loop.</summary>
    private const int MaxLinks = 40;

    /// <exception cref="IOException">A loop of links, or a link that cannot be read.</exception>
    public static string Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/'))
        {
            throw new IOException($"{path} is not an absolute path");
        }

        var resolved = new List<string>();
        var pending = new LinkedList<string>(Components(path));
        var links = 0;
        while (pending.First is { } first)
        {
            var component = first.Value;
            pending.RemoveFirst();
            if (component == ".")
            {
                continue;
            }

            if (component == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            var candidate = Join([.. resolved, component]);
            if (new FileInfo(candidate).LinkTarget is not { } target)
            {
                resolved.Add(component);
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new IOException($"{path}: too many levels of symbolic links");
            }

            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }

            foreach (var part in Components(target).Reverse())
            {
                pending.AddFirst(part);
            }
        }

        return Join(resolved);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="prefix"/> or below it, comparing whole components (<c>/var/logs</c> is not under <c>/var/log</c>).</summary>
    public static bool IsUnder(string path, string prefix)
    {
        var (p, q) = (Components(path), Components(prefix));
        return q.Length <= p.Length && q.SequenceEqual(p.Take(q.Length), StringComparer.Ordinal);
    }

    private static string[] Components(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static string Join(IEnumerable<string> components) => "/" + string.Join('/', components);
}
