using System.Collections.Concurrent;
using System.Globalization;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Events;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.ServiceAccounts;
using HostDaemons.Agent.Volumes;
using HostDaemons.Model.Objects;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// What a container gets only at the moment it is created, as in Kubernetes: its projected volumes written from the
/// ConfigMaps, Secrets and tokens its pod last had, the service account volume (<see cref="ServiceAccountVolume"/>),
/// its environment with their values and the API server's address (never changed afterwards), and a file of its own
/// bound at its terminationMessagePath. None of it is in the spec hash.
/// </summary>
internal sealed class ContainerPreparer(NodeContext node, ProjectedVolumes volumes, NodeAllocatable allocatable, IReferencedObjectSource? objects = null,
    PodEventRecorder? events = null, ServiceAccountVolume? serviceAccount = null)
{
    public const string FallbackToLogsOnError = "FallbackToLogsOnError";

    /// <summary>The version of its objects each pod's last container creation used.</summary>
    private readonly ConcurrentDictionary<string, long> _used = new(StringComparer.Ordinal);

    /// <summary>
    /// True once per change when the pod's objects now (<paramref name="version"/>) differ from those its last
    /// container creation used: a container that waited on a missing object or key may try again at once.
    /// </summary>
    public bool ObjectsChangedSinceLastUse(string podUid, long version) =>
        _used.TryGetValue(podUid, out var used) && used != version && _used.TryUpdate(podUid, version, used);

    /// <summary>Forgets a pod that is gone.</summary>
    public void Forget(string podUid) => _used.TryRemove(podUid, out _);

    /// <summary>
    /// The launch spec <paramref name="spec"/> of <paramref name="create"/>'s container with its environment resolved,
    /// its projected volumes written and its termination message file bound. <paramref name="podIp"/> is the address of
    /// the pod's sandbox, when it has one (see <see cref="EnvironmentBuilder.Resolve"/>).
    /// </summary>
    /// <exception cref="ContainerRuntimeException">ContainerCreating for a volume that cannot be set up, CreateContainerConfigError for env.</exception>
    public async Task<ContainerLaunchSpec> PrepareAsync(CreateContainerCommand create, ContainerLaunchSpec spec, string? podIp, CancellationToken cancellationToken)
    {
        var desired = create.Container;
        var pod = desired.Pod;
        var found = objects is null ? ReferencedObjects.None : await objects.GetAsync(pod, cancellationToken).ConfigureAwait(false);
        _used[pod.Metadata.Uid] = found.Version;
        try
        {
            await volumes.GetTokensAsync(desired, cancellationToken).ConfigureAwait(false);
            volumes.SetUp(desired, found, allocatable);
            if (serviceAccount is not null && await serviceAccount.SetUpAsync(desired, found, cancellationToken).ConfigureAwait(false) is { } bind)
            {
                spec = spec with { Binds = [.. spec.Binds, bind] };
            }

            var environment = EnvironmentBuilder.Resolve(pod, desired.Container, node, found, allocatable, podIp);
            foreach (var warning in environment.Warnings)
            {
                events?.Warning(pod, "InvalidEnvironmentVariableNames", warning, desired.Container.Name);
            }

            spec = spec with { Environment = environment.Variables, Entrypoint = environment.Entrypoint, Arguments = environment.Arguments };
            return WithTerminationLog(create, spec);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ContainerRuntimeException("CreateContainerConfigError", $"preparing the volumes of container {desired.Container.Name} failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// A new empty file (0666, any user may write it) bound at the container's terminationMessagePath, as the kubelet
    /// does, unless a volume is mounted there or above it (Docker refuses two mounts at one path, and the file would
    /// land in that volume's host directory). Files of instances older than the previous one are removed.
    /// </summary>
    private ContainerLaunchSpec WithTerminationLog(CreateContainerCommand create, ContainerLaunchSpec spec)
    {
        var container = create.Container.Container;
        var path = container.TerminationMessagePath.Length > 0 ? container.TerminationMessagePath : ObjectDefaults.DefaultTerminationMessagePath;
        if (spec.Binds.Any(b => path == b.ContainerPath || path.StartsWith(b.ContainerPath.TrimEnd('/') + "/", StringComparison.Ordinal)))
        {
            return spec;
        }

        var file = PodVolumePaths.TerminationLog(create.Container.Pod.Metadata.Uid, container.Name, create.Attempt, node);
        var directory = Path.GetDirectoryName(file)!;
        Directory.CreateDirectory(directory);
        foreach (var old in Directory.EnumerateFiles(directory, "termination-log-*"))
        {
            if (int.TryParse(Path.GetFileName(old)["termination-log-".Length..], CultureInfo.InvariantCulture, out var attempt) && attempt < create.Attempt - 1)
            {
                File.Delete(old);
            }
        }

        File.WriteAllBytes(file, []);
        File.SetUnixFileMode(file, (UnixFileMode)0x1B6);
        var labels = new Dictionary<string, string>(spec.Labels, StringComparer.Ordinal) { [ContainerLabels.TerminationLog] = file };
        if (container.TerminationMessagePolicy == FallbackToLogsOnError)
        {
            labels[ContainerLabels.TerminationMessagePolicy] = FallbackToLogsOnError;
        }

        return spec with { Binds = [.. spec.Binds, new BindMount(file, path, ReadOnly: false)], Labels = labels };
    }
}
