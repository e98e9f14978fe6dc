namespace HostDaemons.Agent.Runtime;

/// <summary>
/// Picks the credential for an image as the kubelet's keyring does: the server key, without its scheme and with Docker's
/// <c>/v1/</c> or <c>/v2/</c> dropped, must name the image's registry (same host, same port; a <c>*</c> stands for one
/// label of the host) and, when it has a path, a prefix of the image's repository; the most specific key wins, then the
/// first given. An image without a registry host is on Docker Hub, which answers to <c>docker.io</c>,
/// <c>index.docker.io</c> and <c>registry-1.docker.io</c>.
/// </summary>
internal static class RegistryCredentials
{
    public const string DockerHub = "docker.io";

    private static readonly string[] s_dockerHubHosts = [DockerHub, "index.docker.io", "registry-1.docker.io"];

    /// <summary>The credential to pull <paramref name="image"/> with, or null to pull anonymously.</summary>
    public static RegistryCredential? Match(string image, IReadOnlyList<RegistryCredential> credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (credentials.Count == 0)
        {
            return null;
        }

        var (registry, repository) = Locate(image);
        RegistryCredential? best = null;
        var bestScore = -1;
        foreach (var credential in credentials)
        {
            if (!TryParseServer(credential.Server, out var host, out var path) || !HostMatches(host, registry)
                || (path.Length > 0 && repository != path && !repository.StartsWith(path + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            // A longer path is more specific; an exact host beats a wildcard one.
            var score = (path.Length * 2) + (host.Contains('*', StringComparison.Ordinal) ? 0 : 1);
            if (score > bestScore)
            {
                best = credential;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>
    /// The registry (host and port, lower case) and repository path of an image:
    /// <c>busybox</c> → (<c>docker.io</c>, <c>library/busybox</c>), <c>127.0.0.1:5000/team/app:1</c> → (<c>127.0.0.1:5000</c>, <c>team/app</c>).
    /// </summary>
    public static (string Registry, string Repository) Locate(string image)
    {
        var name = DockerImageReference.Split(image).Repository;
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = name[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                return (NormalizeHost(first), name[(slash + 1)..]);
            }

            return (DockerHub, name);
        }

        return (DockerHub, "library/" + name);
    }

    /// <summary>
    /// A server key as the kubelet reads it: <c>https://index.docker.io/v1/</c> → (<c>docker.io</c>, ""),
    /// <c>registry.example.com:5000/team</c> → (<c>registry.example.com:5000</c>, <c>team</c>).
    /// </summary>
    public static bool TryParseServer(string server, out string host, out string path)
    {
        var text = server.Trim();
        foreach (var scheme in (string[])["https://", "http://"])
        {
            if (text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                text = text[scheme.Length..];
                break;
            }
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        host = NormalizeHost(slash < 0 ? text : text[..slash]);
        path = slash < 0 ? "" : text[(slash + 1)..].Trim('/');
        if (path is "v1" or "v2")
        {
            path = "";
        }
        else if (path.StartsWith("v1/", StringComparison.Ordinal) || path.StartsWith("v2/", StringComparison.Ordinal))
        {
            path = path[3..];
        }

        return host.Length > 0;
    }

    private static string NormalizeHost(string host)
    {
        var lower = host.ToLowerInvariant();
        return s_dockerHubHosts.Contains(lower) ? DockerHub : lower;
    }

    /// <summary>Same port (or none on both), and the same number of host labels, each equal or matched by its glob.</summary>
    private static bool HostMatches(string pattern, string host)
    {
        var (patternName, patternPort) = SplitPort(pattern);
        var (hostName, hostPort) = SplitPort(host);
        if (patternPort != hostPort)
        {
            return false;
        }

        var patternLabels = patternName.Split('.');
        var hostLabels = hostName.Split('.');
        if (patternLabels.Length != hostLabels.Length)
        {
            return false;
        }

        for (var i = 0; i < patternLabels.Length; i++)
        {
            if (!Glob(patternLabels[i], hostLabels[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static (string Name, string Port) SplitPort(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon < 0 || host.EndsWith(']') ? (host, "") : (host[..colon], host[(colon + 1)..]);
    }

    /// <summary>Matches <paramref name="text"/> against a pattern in which <c>*</c> stands for any run of characters.</summary>
    private static bool Glob(string pattern, string text)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return pattern == text;
        }

        var parts = pattern.Split('*');
        if (!text.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }

        var position = parts[0].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = text.IndexOf(parts[i], position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + parts[i].Length;
        }

        var last = parts[^1];
        return text.Length - position >= last.Length && text.EndsWith(last, StringComparison.Ordinal);
    }
}
