using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.ServiceAccounts;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Volumes;

/// <summary>
/// The configMap, secret, downwardAPI and projected volumes of this node's pods: written with the atomic layout
/// before a container that mounts one is created, and written again when what they show changes (an object fetched
/// again, the pod's labels or annotations), which Kubernetes does within a minute. A volume that cannot be set up
/// keeps the container in ContainerCreating with the kubelet's FailedMount message. A subPath mount binds the file
/// itself, so it keeps the content it had when its container was created, as in Kubernetes.
/// </summary>
internal sealed partial class ProjectedVolumes(NodeContext node, AtomicWriter writer, ILogger<ProjectedVolumes> logger, PodTokens? tokens = null)
{
    private readonly Lock _lock = new();

    /// <summary>
    /// Gets the tokens of the serviceAccountToken sources of the projected volumes <paramref name="container"/> mounts,
    /// kept or new (the kubelet's token manager), before <see cref="SetUp"/> writes them.
    /// </summary>
    /// <exception cref="ContainerRuntimeException">ContainerCreating: <c>MountVolume.SetUp failed for volume "x" : failed to fetch token: ...</c></exception>
    public async Task GetTokensAsync(DesiredContainer container, CancellationToken cancellationToken)
    {
        var pod = container.Pod;
        var mounted = container.Container.VolumeMounts.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var volume in pod.Spec.Volumes.Where(v => v.Projected is not null && mounted.Contains(v.Name)))
        {
            foreach (var key in VolumeProjector.TokenKeys(volume))
            {
                try
                {
                    _ = tokens is null
                        ? throw new VolumeSetUpException("failed to fetch token: this agent has no token source")
                        : await tokens.GetAsync(pod, key, cancellationToken).ConfigureAwait(false);
                }
                catch (VolumeSetUpException ex)
                {
                    throw new ContainerRuntimeException("ContainerCreating", $"MountVolume.SetUp failed for volume \"{volume.Name}\" : {ex.Message}");
                }
            }
        }
    }

    /// <summary>Writes the projected volumes <paramref name="container"/> mounts and checks its subPaths in them.</summary>
    /// <exception cref="ContainerRuntimeException">
    /// ContainerCreating (<c>MountVolume.SetUp failed for volume "x" : configmap "y" not found</c>), or
    /// CreateContainerConfigError for a subPath the volume does not hold.
    /// </exception>
    public void SetUp(DesiredContainer container, ReferencedObjects objects, NodeAllocatable allocatable)
    {
        var pod = container.Pod;
        var volumes = pod.Spec.Volumes.Where(PodVolumePaths.IsProjected).ToDictionary(v => v.Name, StringComparer.Ordinal);
        foreach (var mount in container.Container.VolumeMounts)
        {
            if (!volumes.TryGetValue(mount.Name, out var volume))
            {
                continue;
            }

            Dictionary<string, FileProjection> files;
            try
            {
                files = VolumeProjector.Project(pod, volume, objects, allocatable, Token(pod));
            }
            catch (VolumeSetUpException ex)
            {
                throw new ContainerRuntimeException("ContainerCreating", $"MountVolume.SetUp failed for volume \"{volume.Name}\" : {ex.Message}");
            }

            var directory = PodVolumePaths.HostPath(pod, volume, node);
            WriteFiles(pod, directory, files);
            if (mount.SubPath.Length > 0 && !Path.Exists(Path.Combine(directory, mount.SubPath)))
            {
                throw new ContainerRuntimeException("CreateContainerConfigError",
                    $"failed to prepare subPath for volumeMount \"{mount.Name}\" of container \"{container.Container.Name}\": {mount.SubPath} is not in the volume");
            }
        }
    }

    /// <summary>
    /// Writes again the pod's projected volumes that are set up, from what is known now; a volume that cannot be made
    /// any more (its ConfigMap deleted) keeps its files, as the kubelet keeps them.
    /// </summary>
    public void Refresh(Pod pod, ReferencedObjects objects, NodeAllocatable allocatable)
    {
        foreach (var volume in pod.Spec.Volumes.Where(PodVolumePaths.IsProjected))
        {
            var directory = PodVolumePaths.HostPath(pod, volume, node);
            if (new FileInfo(Path.Combine(directory, AtomicWriter.DataDirectory)).LinkTarget is null)
            {
                continue;
            }

            try
            {
                if (WriteFiles(pod, directory, VolumeProjector.Project(pod, volume, objects, allocatable, Token(pod))))
                {
                    Log.Updated(logger, pod.Metadata.Namespace, pod.Metadata.Name, volume.Name);
                }
            }
            catch (VolumeSetUpException ex)
            {
                Log.NotUpdated(logger, pod.Metadata.Namespace, pod.Metadata.Name, volume.Name, ex.Message);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.NotUpdated(logger, pod.Metadata.Namespace, pod.Metadata.Name, volume.Name, ex.Message);
            }
        }
    }

    /// <summary>Writes one volume's files, one writer at a time; true when anything changed.</summary>
    public bool WriteFiles(Pod pod, string directory, Dictionary<string, FileProjection> files)
    {
        var fsGroup = pod.Spec.SecurityContext?.HasFsGroup == true ? pod.Spec.SecurityContext.FsGroup : (long?)null;
        lock (_lock)
        {
            return writer.Write(directory, files, fsGroup);
        }
    }

    private Func<PodTokenKey, string> Token(Pod pod) => key => tokens is null
        ? throw new VolumeSetUpException("failed to fetch token: this agent has no token source")
        : tokens.Current(pod, key);

    private static partial class Log
    {
        [LoggerMessage(EventId = 81, Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod}: volume {Volume} updated")]
        public static partial void Updated(ILogger logger, string @namespace, string pod, string volume);

        [LoggerMessage(EventId = 82, Level = LogLevel.Warning, Message = "Pod {Namespace}/{Pod}: volume {Volume} keeps its files: {Reason}")]
        public static partial void NotUpdated(ILogger logger, string @namespace, string pod, string volume, string reason);
    }
}
