using System.Security.Cryptography;
using System.Text;
using HostDaemons.Agent.Volumes;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.StaticPods;

/// <summary>
/// Reads the whole manifest directory into a <see cref="StaticPodListing"/>, remembering between reads what it needs
/// to be cheap and safe: each file's last bytes and result (an unchanged file is not parsed again), each file's last
/// valid pod (kept while the file is invalid), and the pods of the last read by content (a touched, rewritten or
/// renamed file with the same content gives the very same pod, first-seen time included). Not thread-safe: one
/// reader, the source's loop.
/// </summary>
internal sealed class StaticPodDirectory(string directory, string nodeName, TimeProvider time)
{
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Pod> _lastGood = new(StringComparer.Ordinal);
    private Dictionary<string, Pod> _byContent = new(StringComparer.Ordinal);

    public string Path => directory;

    public StaticPodListing Read()
    {
        if (!Directory.Exists(directory))
        {
            _files.Clear();
            _lastGood.Clear();
            _byContent.Clear();
            return new StaticPodListing([], [], DirectoryExists: false);
        }

        var paths = Directory.EnumerateFiles(directory, "*", SearchOption.TopDirectoryOnly)
            .Where(p => ManifestFileNames.IsManifest(System.IO.Path.GetFileName(p)))
            .Where(p => FileKinds.Of(p) == FileKind.File)
            .Order(StringComparer.Ordinal)
            .ToList();

        var problems = new List<ManifestProblemReport>();
        var candidates = new List<(string Path, Pod Pod, int NameLine)>();
        foreach (var path in paths)
        {
            var result = ReadFile(path);
            if (result.Pod is { } pod)
            {
                pod = Settle(pod);
                _lastGood[path] = pod;
                candidates.Add((path, pod, result.NameLine));
                continue;
            }

            var kept = _lastGood.GetValueOrDefault(path);
            problems.AddRange(result.Errors.Select(e => new ManifestProblemReport(e, kept)));
            if (kept is not null)
            {
                candidates.Add((path, kept, 0));
                problems.Add(new ManifestProblemReport(new ManifestError(path, 0,
                    $"pod \"{kept.Metadata.Name}\" keeps running the last valid version of this file until it is fixed or removed"), kept));
            }
        }

        var present = paths.ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _files.Keys.Where(p => !present.Contains(p)).ToList())
        {
            _files.Remove(gone);
            _lastGood.Remove(gone);
        }

        var pods = new List<Pod>();
        var byName = new Dictionary<string, (string Path, Pod Pod)>(StringComparer.Ordinal);
        var byUid = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, pod, nameLine) in candidates)
        {
            var meta = pod.Metadata;
            var fullName = $"{meta.Namespace}/{meta.Name}";
            if (byName.TryGetValue(fullName, out var first))
            {
                // The same content in two files (a copy, or a rename caught half-way) is one pod.
                if (first.Pod.Metadata.ResourceVersion != meta.ResourceVersion)
                {
                    problems.Add(new ManifestProblemReport(new ManifestError(path, nameLine,
                        $"Error validating pod {meta.Name}_{meta.Namespace}({meta.Uid}) from file due to duplicate pod name \"{meta.Name}\", ignoring: {first.Path} defines it first"), pod));
                }

                continue;
            }

            if (byUid.TryGetValue(meta.Uid, out var uidOwner))
            {
                problems.Add(new ManifestProblemReport(new ManifestError(path, nameLine,
                    $"Error validating pod {meta.Name}_{meta.Namespace}({meta.Uid}) from file due to duplicate uid \"{meta.Uid}\", ignoring: {uidOwner} uses it first"), pod));
                continue;
            }

            byName[fullName] = (path, pod);
            byUid[meta.Uid] = path;
            pods.Add(pod);
        }

        _byContent = pods.ToDictionary(p => p.Metadata.ResourceVersion, StringComparer.Ordinal);
        problems.Sort((a, b) => (string.CompareOrdinal(a.Error.File, b.Error.File), a.Error.Line) switch
        {
            (0, var line) => line.CompareTo(b.Error.Line),
            (var order, _) => order,
        });
        return new StaticPodListing(pods, problems, DirectoryExists: true);
    }

    /// <summary>The pod the last read had for the same content, if any: its first-seen time stands.</summary>
    private Pod Settle(Pod pod)
    {
        var key = pod.Metadata.ResourceVersion;
        if (_byContent.TryGetValue(key, out var previous))
        {
            return previous;
        }

        // Same content as a file still remembered as last good (say, a file fixed back to what it ran).
        var remembered = _lastGood.Values.FirstOrDefault(p => p.Metadata.ResourceVersion == key);
        return remembered ?? pod;
    }

    private StaticPodManifestResult ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            // The opened file's length, not the name's: a symbolic link's own length is that of its target's path.
            using var file = File.OpenRead(path);
            if (file.Length > StaticPodManifest.MaxBytes)
            {
                return TooLarge(path, file.Length);
            }

            // Never more than the limit and a byte, though the file may grow while it is read.
            using var content = new MemoryStream((int)file.Length);
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = file.Read(chunk)) > 0)
            {
                if (content.Length + read > StaticPodManifest.MaxBytes)
                {
                    return TooLarge(path, Math.Max(file.Length, content.Length + read));
                }

                content.Write(chunk, 0, read);
            }

            bytes = content.ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _files.Remove(path);
            return new StaticPodManifestResult(null, [new ManifestError(path, 0, $"could not read the file: {ex.Message}")], 0);
        }

        var digest = SHA256.HashData(bytes);
        if (_files.TryGetValue(path, out var state) && state.Digest.AsSpan().SequenceEqual(digest))
        {
            return state.Result;
        }

        var result = StaticPodManifest.Parse(path, Encoding.UTF8.GetString(bytes), nodeName, time.GetUtcNow());
        _files[path] = new FileState(digest, result);
        return result;
    }

    private StaticPodManifestResult TooLarge(string path, long length)
    {
        _files.Remove(path);
        return new StaticPodManifestResult(null, [new ManifestError(path, 0,
            $"the file is {length} bytes, more than the {StaticPodManifest.MaxBytes} bytes (1 MiB) a static pod manifest may have")], 0);
    }

    private sealed record FileState(byte[] Digest, StaticPodManifestResult Result);
}
