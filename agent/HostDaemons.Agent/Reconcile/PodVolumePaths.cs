using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// Where a pod's volumes are on the host: a hostPath is its path; an emptyDir, configMap or downwardAPI volume is a
/// directory of the pod's under the agent's state directory; an emptyDir with <c>medium: Memory</c>, a secret or a
/// projected volume (which may hold secrets) is one under /dev/shm (a tmpfs, so secrets never reach a disk, as the
/// kubelet keeps them), per node since agents may share a host. A container's termination message file is in the
/// pod's directory too.
/// </summary>
internal static class PodVolumePaths
{
    public static string MemoryRoot(NodeContext node) => Path.Combine("/dev/shm/hostdaemons", node.NodeName);

    public static string HostPath(Pod pod, Volume volume, NodeContext node) =>
        volume.HostPath is { } hostPath ? hostPath.Path : PodDirectory(pod.Metadata.Uid, volume, node);

    public static string PodDirectory(string podUid, Volume volume, NodeContext node) =>
        volume.EmptyDir?.Medium == "Memory" || volume.Secret is not null || volume.Projected is not null
            ? Path.Combine(MemoryRoot(node), podUid, volume.Name)
            : Path.Combine(node.PodVolumeRoot, podUid, "volumes", volume.Name);

    /// <summary>A configMap, secret, downwardAPI or projected volume: files the agent writes, read-only in containers.</summary>
    public static bool IsProjected(Volume volume) => volume.ConfigMap is not null || volume.Secret is not null || volume.DownwardApi is not null || volume.Projected is not null;

    /// <summary>The file one instance of a container may write its termination message to.</summary>
    public static string TerminationLog(string podUid, string container, int attempt, NodeContext node) =>
        Path.Combine(node.PodVolumeRoot, podUid, "containers", container, $"termination-log-{attempt}");

    /// <summary>Every directory that holds a pod's emptyDirs, for removal once the pod is gone.</summary>
    public static IEnumerable<string> PodDirectories(string podUid, NodeContext node) =>
        [Path.Combine(node.PodVolumeRoot, podUid), Path.Combine(MemoryRoot(node), podUid)];
}
