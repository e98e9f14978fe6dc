using Grpc.Core;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Volumes;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.ServiceAccounts;

/// <summary>
/// The kubelet's <c>kube-api-access</c> volume, mounted read-only at <see cref="ServiceAccountMount.MountPath"/> in
/// every container of a pod that gets one (<see cref="ServiceAccountMount"/>): <c>token</c>, a token bound to the pod
/// for its service account (<see cref="PodTokens"/>, rotated as the kubelet rotates it), <c>ca.crt</c>, the cluster CA
/// this agent trusts for the control plane (none in development mode, where there is none), and <c>namespace</c>; all
/// 0644, written with the atomic layout in the pod's memory-backed directory, so they go with the pod. It is added
/// when a container is created and is not in the spec hash: an agent upgrade restarts nothing.
/// </summary>
internal sealed partial class ServiceAccountVolume(NodeContext node, PodTokens tokens, ProjectedVolumes volumes, string? caFile, ILogger<ServiceAccountVolume> logger)
{
    public ServiceAccountVolume(NodeContext node, PodTokens tokens, ProjectedVolumes volumes, NodeClientFactory clients, NodeCredentials credentials,
        ILogger<ServiceAccountVolume> logger)
        : this(node, tokens, volumes, clients.IsTls ? credentials.CaFile : null, logger)
    {
    }

    /// <summary>Writes the volume for <paramref name="container"/> when it gets one, and returns its bind.</summary>
    /// <exception cref="ContainerRuntimeException">ContainerCreating with the kubelet's FailedMount message: no token could be had.</exception>
    public async Task<BindMount?> SetUpAsync(DesiredContainer container, ReferencedObjects objects, CancellationToken cancellationToken)
    {
        var pod = container.Pod;
        if (!ServiceAccountMount.ShouldMount(pod, container.IsStatic, objects.ServiceAccount) || !ServiceAccountMount.MountsInto(container.Container))
        {
            return null;
        }

        var directory = Directory(pod);
        var bind = new BindMount(directory, ServiceAccountMount.MountPath, ReadOnly: true);
        string token;
        try
        {
            token = await tokens.GetAsync(pod, ServiceAccountMount.TokenKey, cancellationToken).ConfigureAwait(false);
        }
        catch (VolumeSetUpException ex) when (ex.InnerException is RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded })
        {
            // Unlike the kubelet, the agent starts and restarts pods while the control plane is away; a token could
            // only be used to reach that control plane, so the pod is not held for one. It keeps the files it had (an
            // agent restart), or starts without `token`; the refresh writes one once the control plane answers.
            Log.StartedWithoutToken(logger, pod.Metadata.Namespace, pod.Metadata.Name, ex.Message);
            if (new FileInfo(Path.Combine(directory, AtomicWriter.DataDirectory)).LinkTarget is null)
            {
                volumes.WriteFiles(pod, directory, Files(pod, token: null));
            }

            return bind;
        }
        catch (VolumeSetUpException ex)
        {
            throw new ContainerRuntimeException("ContainerCreating", $"MountVolume.SetUp failed for volume \"{ServiceAccountMount.VolumeName}\" : {ex.Message}");
        }

        volumes.WriteFiles(pod, directory, Files(pod, token));
        return bind;
    }

    /// <summary>Writes the volume again when the pod has one set up (a new token); without a valid token it keeps its files.</summary>
    public void Refresh(Pod pod)
    {
        var directory = Directory(pod);
        if (new FileInfo(Path.Combine(directory, AtomicWriter.DataDirectory)).LinkTarget is null)
        {
            return;
        }

        try
        {
            if (volumes.WriteFiles(pod, directory, Files(pod, tokens.Current(pod, ServiceAccountMount.TokenKey))))
            {
                Log.Rotated(logger, pod.Metadata.Namespace, pod.Metadata.Name);
            }
        }
        catch (VolumeSetUpException ex)
        {
            Log.Kept(logger, pod.Metadata.Namespace, pod.Metadata.Name, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.Kept(logger, pod.Metadata.Namespace, pod.Metadata.Name, ex.Message);
        }
    }

    private string Directory(Pod pod) => Path.Combine(PodVolumePaths.MemoryRoot(node), pod.Metadata.Uid, ServiceAccountMount.DirectoryName);

    private Dictionary<string, FileProjection> Files(Pod pod, string? token)
    {
        var mode = ObjectDefaults.DefaultVolumeFileMode;
        var files = new Dictionary<string, FileProjection>(StringComparer.Ordinal)
        {
            ["namespace"] = FileProjection.Text(pod.Metadata.Namespace, mode),
        };
        if (token is not null)
        {
            files["token"] = FileProjection.Text(token, mode);
        }

        if (caFile is not null && File.Exists(caFile))
        {
            files["ca.crt"] = new FileProjection(File.ReadAllBytes(caFile), mode);
        }

        return files;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 442, Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod}: service account token rotated")]
        public static partial void Rotated(ILogger logger, string @namespace, string pod);

        [LoggerMessage(EventId = 444, Level = LogLevel.Warning,
            Message = "Pod {Namespace}/{Pod}: started without a fresh service account token, the control plane is away ({Reason}); it is written once the control plane answers")]
        public static partial void StartedWithoutToken(ILogger logger, string @namespace, string pod, string reason);

        [LoggerMessage(EventId = 443, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod}: the service account volume keeps its files: {Reason}")]
        public static partial void Kept(ILogger logger, string @namespace, string pod, string reason);
    }
}
