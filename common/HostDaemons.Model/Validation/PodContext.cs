using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>What a container's rules need to know of its pod: the volumes it may mount, the containers it may name.</summary>
internal sealed record PodContext(PodSpec Spec, IReadOnlySet<string> VolumeNames, IReadOnlySet<string> ContainerNames)
{
    public long GracePeriod => Spec.HasTerminationGracePeriodSeconds ? Spec.TerminationGracePeriodSeconds : ObjectDefaults.DefaultTerminationGracePeriodSeconds;
}
