using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Volumes;
using HostDaemons.Model.Objects;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// Follows, at every reconcile pass, what pods' files and waiting containers depend on. When a pod's ConfigMaps or
/// Secrets change (a new fetch) or the pod itself does (its labels or annotations, for downwardAPI files), its
/// projected volumes are written again (nothing is written when nothing differs), and its containers waiting for a
/// missing object or key lose their back-off, so a pod starts as soon as what it needs exists.
/// </summary>
internal sealed class PodDataRefresh(IReferencedObjectSource objects, ProjectedVolumes volumes, RestartTracker restarts, NodeAllocatable allocatable)
{
    private readonly Dictionary<string, (string PodVersion, long ObjectsVersion)> _seen = new(StringComparer.Ordinal);

    public void Sync(IReadOnlyList<DesiredPod> desired)
    {
        foreach (var pod in desired.Where(p => !p.IsTerminating))
        {
            var references = PodReferences.Any(pod.Pod.Spec);
            var known = references ? objects.Current(pod.Uid) : ReferencedObjects.None;
            var current = (pod.Pod.Metadata.ResourceVersion, known?.Version ?? 0);
            var seen = _seen.TryGetValue(pod.Uid, out var last);
            if (seen && last == current)
            {
                continue;
            }

            _seen[pod.Uid] = current;
            if (seen && last.ObjectsVersion != current.Item2)
            {
                RetryWaitingContainers(pod);
            }

            if (known is not null && pod.Pod.Spec.Volumes.Any(PodVolumePaths.IsProjected))
            {
                volumes.Refresh(pod.Pod, known, allocatable);
            }
        }

        var live = desired.Select(p => p.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var uid in _seen.Keys.Where(u => !live.Contains(u)).ToList())
        {
            _seen.Remove(uid);
        }
    }

    private void RetryWaitingContainers(DesiredPod pod)
    {
        foreach (var container in pod.Containers)
        {
            var key = RestartTracker.Key(pod.Uid, container.Container.Name);
            if (restarts.LastFailure(key) is { Reason: "ContainerCreating" or "CreateContainerConfigError" })
            {
                restarts.RecordSuccess(key);
            }
        }
    }
}
