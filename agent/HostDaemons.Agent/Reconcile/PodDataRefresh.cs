using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.ServiceAccounts;
using HostDaemons.Agent.Volumes;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// Follows, at every reconcile pass, what pods' files and waiting containers depend on. When a pod's ConfigMaps or
/// Secrets change (a new fetch), one of its tokens does (<see cref="PodTokens"/>) or the pod itself does (its labels
/// or annotations, for downwardAPI files), its projected and service account volumes are written again (nothing is written when nothing differs), and its containers waiting for a
/// missing object or key lose their back-off, so a pod starts as soon as what it needs exists.
/// </summary>
internal sealed class PodDataRefresh(IReferencedObjectSource objects, ProjectedVolumes volumes, ContainerPreparer preparer, RestartTracker restarts,
    NodeAllocatable allocatable, PodTokens? tokens = null, ServiceAccountVolume? serviceAccount = null)
{
    private readonly Dictionary<string, (string PodVersion, long ObjectsVersion, long TokensVersion)> _written = new(StringComparer.Ordinal);

    public void Sync(IReadOnlyList<DesiredPod> desired)
    {
        // Tokens are kept (and refreshed) only for pods that run on: a deleted pod's are asked for no more.
        tokens?.Retain(desired.Where(p => !p.IsTerminating).Select(p => p.Uid).ToHashSet(StringComparer.Ordinal));
        foreach (var pod in desired.Where(p => !p.IsTerminating))
        {
            var known = ReferencedObjectSource.Fetches(pod.Pod) ? objects.Current(pod.Uid) : ReferencedObjects.None;
            if (known is not null && preparer.ObjectsChangedSinceLastUse(pod.Uid, known.Version))
            {
                RetryWaitingContainers(pod);
            }

            var current = (pod.Pod.Metadata.ResourceVersion, known?.Version ?? 0, tokens?.Version(pod.Uid) ?? 0);
            if (_written.TryGetValue(pod.Uid, out var last) && last == current)
            {
                continue;
            }

            _written[pod.Uid] = current;
            if (known is not null && pod.Pod.Spec.Volumes.Any(PodVolumePaths.IsProjected))
            {
                volumes.Refresh(pod.Pod, known, allocatable);
            }

            serviceAccount?.Refresh(pod.Pod);
        }

        var live = desired.Select(p => p.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var uid in _written.Keys.Where(u => !live.Contains(u)).ToList())
        {
            _written.Remove(uid);
            preparer.Forget(uid);
        }
    }

    private void RetryWaitingContainers(DesiredPod pod)
    {
        foreach (var container in pod.AllContainers)
        {
            var key = RestartTracker.Key(pod.Uid, container.Container.Name);
            if (restarts.LastFailure(key) is { Reason: "ContainerCreating" or "CreateContainerConfigError" })
            {
                restarts.RecordSuccess(key);
            }
        }
    }
}
