using System.Globalization;

namespace HostDaemons.Agent.Volumes;

/// <summary>
/// Writes a volume's files as the kubelet's atomic writer does, so a reader never sees half of an update: the files
/// go into a new hidden directory named for the time (<c>..2026_12_06_08_00_00.123456789</c>), then the <c>..data</c>
/// symlink is pointed at it in one rename (<c>..data_tmp</c> over <c>..data</c>), and every top-level entry the user
/// sees is a symlink through it (<c>name -> ..data/name</c>). Entries no longer in the payload and older hidden
/// directories are removed afterwards. When every file already has its content and mode, nothing is written.
/// With an fsGroup, files and directories belong to that group and are group-readable, as the kubelet's volume
/// ownership makes them. Callers serialize writes to one directory.
/// </summary>
internal sealed class AtomicWriter(TimeProvider time)
{
    public const string DataDirectory = "..data";
    private const string NewDataDirectory = "..data_tmp";
    private const UnixFileMode DirectoryMode = (UnixFileMode)0x1ED; // 0755

    /// <returns>True when the files were written; false when they already were as the payload says.</returns>
    public bool Write(string targetDirectory, IReadOnlyDictionary<string, FileProjection> payload, long? fsGroup = null)
    {
        var files = payload.ToDictionary(p => Validate(p.Key), p => p.Value with { Mode = EffectiveMode(p.Value.Mode, fsGroup) }, StringComparer.Ordinal);
        Directory.CreateDirectory(targetDirectory);
        var dataLink = Path.Combine(targetDirectory, DataDirectory);
        var oldName = new FileInfo(dataLink).LinkTarget;
        var oldPath = oldName is null ? null : Path.Combine(targetDirectory, oldName);
        var topLevel = files.Keys.Select(TopLevel).ToHashSet(StringComparer.Ordinal);
        if (oldPath is not null && Directory.Exists(oldPath) && IsCurrent(oldPath, files))
        {
            CreateVisibleLinks(targetDirectory, topLevel);
            RemoveStale(targetDirectory, oldName!, topLevel);
            return false;
        }

        var newName = NewTimestampDirectory(targetDirectory);
        var newPath = Path.Combine(targetDirectory, newName);
        foreach (var (path, file) in files)
        {
            var fullPath = Path.Combine(newPath, path);
            CreateDirectories(newPath, Path.GetDirectoryName(path) ?? "");
            File.WriteAllBytes(fullPath, file.Data);
            File.SetUnixFileMode(fullPath, (UnixFileMode)file.Mode);
            if (fsGroup is { } group)
            {
                FileOwnership.SetGroup(fullPath, group);
            }
        }

        if (fsGroup is { } ownerGroup)
        {
            SetDirectoryGroup(newPath, ownerGroup);
        }

        var newLink = Path.Combine(targetDirectory, NewDataDirectory);
        File.Delete(newLink);
        File.CreateSymbolicLink(newLink, newName);
        FileOwnership.Rename(newLink, dataLink);

        CreateVisibleLinks(targetDirectory, topLevel);
        RemoveStale(targetDirectory, newName, topLevel);
        return true;
    }

    /// <summary>The kubelet's volume ownership: with an fsGroup every file is at least readable by the group.</summary>
    private static int EffectiveMode(int mode, long? fsGroup) => (mode & 0x1FF) | (fsGroup is null ? 0 : 0x120);

    /// <summary>The atomic writer's path rules: relative, no <c>..</c> element, not starting with <c>..</c>.</summary>
    private static string Validate(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (path.Length == 0 || path.StartsWith('/') || parts.Length == 0 || parts.Contains("..") || parts[0].StartsWith("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"invalid path in a volume: \"{path}\"", nameof(path));
        }

        return string.Join('/', parts.Where(p => p != "."));
    }

    private static string TopLevel(string path) => path.Split('/')[0];

    /// <summary>True when the directory holds exactly the payload's files, with their content and mode.</summary>
    private static bool IsCurrent(string directory, Dictionary<string, FileProjection> files)
    {
        var present = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f)).ToList();
        if (present.Count != files.Count)
        {
            return false;
        }

        foreach (var relative in present)
        {
            if (!files.TryGetValue(relative, out var file))
            {
                return false;
            }

            var fullPath = Path.Combine(directory, relative);
            if ((int)File.GetUnixFileMode(fullPath) != file.Mode || !File.ReadAllBytes(fullPath).AsSpan().SequenceEqual(file.Data))
            {
                return false;
            }
        }

        return true;
    }

    private string NewTimestampDirectory(string targetDirectory)
    {
        var stamp = time.GetUtcNow().UtcDateTime.ToString("..yyyy_MM_dd_HH_mm_ss.", CultureInfo.InvariantCulture);
        while (true)
        {
            var name = stamp + Random.Shared.Next(0, 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture);
            var path = Path.Combine(targetDirectory, name);
            if (!Path.Exists(path))
            {
                Directory.CreateDirectory(path, DirectoryMode);
                File.SetUnixFileMode(path, DirectoryMode);
                return name;
            }
        }
    }

    private static void CreateDirectories(string root, string relative)
    {
        var current = root;
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            if (!Directory.Exists(current))
            {
                Directory.CreateDirectory(current, DirectoryMode);
                File.SetUnixFileMode(current, DirectoryMode);
            }
        }
    }

    /// <summary>Directories of a volume with an fsGroup: the group's, setgid, and readable and searchable by it.</summary>
    private static void SetDirectoryGroup(string root, long group)
    {
        foreach (var directory in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Append(root))
        {
            FileOwnership.SetGroup(directory, group);
            File.SetUnixFileMode(directory, DirectoryMode | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.SetGroup);
        }
    }

    /// <summary>Each top-level entry of the payload as a symlink into <c>..data</c>, unless it already is one.</summary>
    private static void CreateVisibleLinks(string targetDirectory, IEnumerable<string> topLevel)
    {
        foreach (var name in topLevel)
        {
            var link = Path.Combine(targetDirectory, name);
            if (new FileInfo(link).LinkTarget is null && !Path.Exists(link))
            {
                File.CreateSymbolicLink(link, Path.Combine(DataDirectory, name));
            }
        }
    }

    /// <summary>Removes the visible links into <c>..data</c> that the payload no longer has, and every hidden directory but the current one.</summary>
    private static void RemoveStale(string targetDirectory, string currentName, HashSet<string> topLevel)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(targetDirectory))
        {
            var name = Path.GetFileName(entry);
            var target = new FileInfo(entry).LinkTarget;
            if (name.StartsWith("..", StringComparison.Ordinal))
            {
                if (target is null && name != currentName && Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
            }
            else if (target is not null && target.StartsWith(DataDirectory + "/", StringComparison.Ordinal) && !topLevel.Contains(name))
            {
                File.Delete(entry);
            }
        }
    }
}
