namespace HostDaemons.Agent.Runtime;

/// <summary>Splits an image reference into the repository and the tag or digest the engine's pull API expects.</summary>
internal static class DockerImageReference
{
    public const string DefaultTag = "latest";

    /// <summary>
    /// <c>localhost:5000/x:1.0</c> → (<c>localhost:5000/x</c>, <c>1.0</c>);
    /// <c>x@sha256:…</c> → (<c>x</c>, <c>sha256:…</c>); <c>x</c> → (<c>x</c>, <c>latest</c>).
    /// </summary>
    public static (string Repository, string TagOrDigest) Split(string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);

        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            // The engine ignores a tag next to a digest, and rejects it inside fromImage.
            var (repository, _) = SplitTag(image[..at]);
            return (repository, image[(at + 1)..]);
        }

        return SplitTag(image);
    }

    private static (string Repository, string Tag) SplitTag(string image)
    {
        // A colon before the last slash belongs to a registry host:port, not to a tag.
        var lastSlash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        if (colon > lastSlash)
        {
            var tag = image[(colon + 1)..];
            return (image[..colon], tag.Length == 0 ? DefaultTag : tag);
        }

        return (image, DefaultTag);
    }
}
