using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Volumes;

/// <summary>
/// Makes a container's volumes ready on the host before it is created: hostPath types are checked (and created for
/// DirectoryOrCreate and FileOrCreate) as the kubelet checks them; emptyDirs and subPaths are created. A failed check
/// is a <c>CreateContainerConfigError</c> naming the volume and the path. A pod's directories (emptyDirs, projected
/// volumes, termination message files) go with the pod.
/// </summary>
internal sealed partial class PodVolumes(NodeContext node, ILogger<PodVolumes> logger)
{
    public void Prepare(DesiredContainer container)
    {
        var pod = container.Pod;
        var volumes = pod.Spec.Volumes.ToDictionary(v => v.Name, StringComparer.Ordinal);
        foreach (var mount in container.Container.VolumeMounts)
        {
            // Projected volumes (configMap, secret, downwardAPI, projected) are ProjectedVolumes' to write.
            if (!volumes.TryGetValue(mount.Name, out var volume) || PodVolumePaths.IsProjected(volume))
            {
                continue;
            }

            var root = PodVolumePaths.HostPath(pod, volume, node);
            if (volume.HostPath is { } hostPath)
            {
                Check(volume.Name, hostPath);
            }
            else
            {
                Directory.CreateDirectory(root);
            }

            if (mount.SubPath.Length > 0)
            {
                var sub = Path.Combine(root, mount.SubPath);
                if (FileKinds.Of(sub) == FileKind.Missing)
                {
                    Directory.CreateDirectory(sub);
                }
            }
        }
    }

    public void Remove(string podUid)
    {
        foreach (var directory in PodVolumePaths.PodDirectories(podUid, node).Where(Directory.Exists))
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.RemoveFailed(logger, directory, ex.Message);
            }
        }
    }

    private static void Check(string volume, HostPathVolumeSource hostPath)
    {
        var path = hostPath.Path;
        var kind = FileKinds.Of(path);
        switch (hostPath.Type)
        {
            case "DirectoryOrCreate" when kind == FileKind.Missing:
                Directory.CreateDirectory(path);
                return;
            case "FileOrCreate" when kind == FileKind.Missing:
                Directory.CreateDirectory(Path.GetDirectoryName(path) ?? "/");
                using (File.Create(path))
                {
                }

                return;
            case "DirectoryOrCreate" or "Directory" when kind != FileKind.Directory:
                throw Failed(volume, $"{path} is not a directory");
            case "FileOrCreate" or "File" when kind != FileKind.File:
                throw Failed(volume, $"{path} is not a file");
            case "Socket" when kind != FileKind.Socket:
                throw Failed(volume, $"{path} is not a socket file");
            case "CharDevice" when kind != FileKind.CharDevice:
                throw Failed(volume, $"{path} is not a character device");
            case "BlockDevice" when kind != FileKind.BlockDevice:
                throw Failed(volume, $"{path} is not a block device");
        }
    }

    private static ContainerRuntimeException Failed(string volume, string problem) =>
        new("CreateContainerConfigError", $"MountVolume.SetUp failed for volume \"{volume}\" : hostPath type check failed: {problem}");

    private static partial class Log
    {
        [LoggerMessage(EventId = 80, Level = LogLevel.Warning, Message = "Could not remove the pod volume directory {Directory}: {Reason}")]
        public static partial void RemoveFailed(ILogger logger, string directory, string reason);
    }
}
