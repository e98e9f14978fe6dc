using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// Where a pod's volumes are on the host: a hostPath is its path; an emptyDir is a directory of the pod's under the
/// agent's state directory, or under /dev/shm (a tmpfs) for <c>medium: Memory</c>, per node since agents may share a host.
/// </summary>
internal static class PodVolumePaths
{
    public static string MemoryRoot(NodeContext node) => Path.Combine("/dev/shm/hostdaemons", node.NodeName);

    public static string HostPath(Pod pod, Volume volume, NodeContext node) =>
        volume.HostPath is { } hostPath ? hostPath.Path : EmptyDir(pod.Metadata.Uid, volume, node);

    public static string EmptyDir(string podUid, Volume volume, NodeContext node) => volume.EmptyDir?.Medium == "Memory"
        ? Path.Combine(MemoryRoot(node), podUid, volume.Name)
        : Path.Combine(node.PodVolumeRoot, podUid, "volumes", volume.Name);

    /// <summary>Every directory that holds a pod's emptyDirs, for removal once the pod is gone.</summary>
    public static IEnumerable<string> PodDirectories(string podUid, NodeContext node) =>
        [Path.Combine(node.PodVolumeRoot, podUid), Path.Combine(MemoryRoot(node), podUid)];
}
