using HostDaemons.Model.V1;

namespace HostDaemons.Model.Objects;

/// <summary>
/// The form of a pod template or a static pod that revision hashes and static pod uids are computed from. Defaults
/// added to fields that already existed (terminationMessagePath and terminationMessagePolicy, schedulerName,
/// enableServiceLinks) are left out while they hold their default, so an object stored or a manifest read before an
/// upgrade hashes as it did, and the upgrade restarts no pod. Kubernetes has the same hazard (kubernetes#69445).
/// </summary>
public static partial class ObjectDefaults
{
    public static PodTemplateSpec WithoutLateDefaults(PodTemplateSpec template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var copy = template.Clone();
        RemoveLateDefaults(copy.Spec);
        return copy;
    }

    public static Pod WithoutLateDefaults(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var copy = pod.Clone();
        RemoveLateDefaults(copy.Spec);
        return copy;
    }

    private static void RemoveLateDefaults(PodSpec? spec)
    {
        if (spec is null)
        {
            return;
        }

        if (spec.SchedulerName == DefaultSchedulerName)
        {
            spec.SchedulerName = "";
        }

        if (spec is { HasEnableServiceLinks: true, EnableServiceLinks: true })
        {
            spec.ClearEnableServiceLinks();
        }

        foreach (var container in spec.InitContainers.Concat(spec.Containers))
        {
            if (container.TerminationMessagePath == DefaultTerminationMessagePath)
            {
                container.TerminationMessagePath = "";
            }

            if (container.TerminationMessagePolicy == DefaultTerminationMessagePolicy)
            {
                container.TerminationMessagePolicy = "";
            }
        }
    }
}
