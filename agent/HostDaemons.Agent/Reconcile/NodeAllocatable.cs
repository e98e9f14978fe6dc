using System.Globalization;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// What a container may use on this host when it sets no limit: the kubelet's node allocatable, which is the
/// host's capacity here (HostDaemons reserves nothing for system daemons and has no eviction threshold).
/// </summary>
internal sealed record NodeAllocatable(long CpuMillis, long MemoryBytes, long EphemeralStorageBytes)
{
    /// <summary>This host: its processors, its memory (MemTotal) and the size of the file system holding <paramref name="stateDirectory"/>.</summary>
    public static NodeAllocatable Detect(string stateDirectory)
    {
        long memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line["MemTotal:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture, out var kilobytes))
            {
                memory = kilobytes * 1024;
            }
        }
        catch (IOException)
        {
        }

        long storage = 0;
        try
        {
            var existing = stateDirectory;
            while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
            {
                existing = parent;
            }

            storage = new DriveInfo(existing).TotalSize;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
        }

        return new NodeAllocatable(Environment.ProcessorCount * 1000L, memory, storage);
    }

    /// <summary>The node's capacity as Kubernetes quantities, as the kubelet reports it (<c>pods</c> is its default 110).</summary>
    public Dictionary<string, string> AsQuantities() => new(StringComparer.Ordinal)
    {
        ["cpu"] = CpuMillis % 1000 == 0 ? (CpuMillis / 1000).ToString(CultureInfo.InvariantCulture) : $"{CpuMillis.ToString(CultureInfo.InvariantCulture)}m",
        ["memory"] = $"{(MemoryBytes / 1024).ToString(CultureInfo.InvariantCulture)}Ki",
        ["ephemeral-storage"] = $"{(EphemeralStorageBytes / 1024).ToString(CultureInfo.InvariantCulture)}Ki",
        ["pods"] = "110",
    };
}
