using HostDaemons.Model.Objects;

namespace HostDaemons.Model.V1;

public sealed partial class DaemonSet : IKubeObject<DaemonSet>
{
    static ResourceKind IKubeObject<DaemonSet>.StaticKind => ResourceKind.DaemonSet;

    public ResourceKind ResourceKind => ResourceKind.DaemonSet;

    public IKubeObject CloneObject() => Clone();
}

public sealed partial class Pod : IKubeObject<Pod>
{
    static ResourceKind IKubeObject<Pod>.StaticKind => ResourceKind.Pod;

    public ResourceKind ResourceKind => ResourceKind.Pod;

    public IKubeObject CloneObject() => Clone();
}

public sealed partial class Node : IKubeObject<Node>
{
    static ResourceKind IKubeObject<Node>.StaticKind => ResourceKind.Node;

    public ResourceKind ResourceKind => ResourceKind.Node;

    public IKubeObject CloneObject() => Clone();
}

public sealed partial class Secret : IKubeObject<Secret>
{
    static ResourceKind IKubeObject<Secret>.StaticKind => ResourceKind.Secret;

    public ResourceKind ResourceKind => ResourceKind.Secret;

    public IKubeObject CloneObject() => Clone();
}

public sealed partial class Event : IKubeObject<Event>
{
    static ResourceKind IKubeObject<Event>.StaticKind => ResourceKind.Event;

    public ResourceKind ResourceKind => ResourceKind.Event;

    public IKubeObject CloneObject() => Clone();
}

public sealed partial class Namespace : IKubeObject<Namespace>
{
    static ResourceKind IKubeObject<Namespace>.StaticKind => ResourceKind.Namespace;

    public ResourceKind ResourceKind => ResourceKind.Namespace;

    public IKubeObject CloneObject() => Clone();
}

public sealed partial class ControllerRevision : IKubeObject<ControllerRevision>
{
    static ResourceKind IKubeObject<ControllerRevision>.StaticKind => ResourceKind.ControllerRevision;

    public ResourceKind ResourceKind => ResourceKind.ControllerRevision;

    public IKubeObject CloneObject() => Clone();
}

public sealed partial class ConfigMap : IKubeObject<ConfigMap>
{
    static ResourceKind IKubeObject<ConfigMap>.StaticKind => ResourceKind.ConfigMap;

    public ResourceKind ResourceKind => ResourceKind.ConfigMap;

    public IKubeObject CloneObject() => Clone();
}

public sealed partial class ServiceAccount : IKubeObject<ServiceAccount>
{
    static ResourceKind IKubeObject<ServiceAccount>.StaticKind => ResourceKind.ServiceAccount;

    public ResourceKind ResourceKind => ResourceKind.ServiceAccount;

    public IKubeObject CloneObject() => Clone();
}

public sealed partial class Role : IKubeObject<Role>
{
    static ResourceKind IKubeObject<Role>.StaticKind => ResourceKind.Role;

    public ResourceKind ResourceKind => ResourceKind.Role;

    public IKubeObject CloneObject() => Clone();
}

public sealed partial class ClusterRole : IKubeObject<ClusterRole>
{
    static ResourceKind IKubeObject<ClusterRole>.StaticKind => ResourceKind.ClusterRole;

    public ResourceKind ResourceKind => ResourceKind.ClusterRole;

    public IKubeObject CloneObject() => Clone();
}

public sealed partial class RoleBinding : IKubeObject<RoleBinding>
{
    static ResourceKind IKubeObject<RoleBinding>.StaticKind => ResourceKind.RoleBinding;

    public ResourceKind ResourceKind => ResourceKind.RoleBinding;

    public IKubeObject CloneObject() => Clone();
}

public sealed partial class ClusterRoleBinding : IKubeObject<ClusterRoleBinding>
{
    static ResourceKind IKubeObject<ClusterRoleBinding>.StaticKind => ResourceKind.ClusterRoleBinding;

    public ResourceKind ResourceKind => ResourceKind.ClusterRoleBinding;

    public IKubeObject CloneObject() => Clone();
}

public sealed partial class Service : IKubeObject<Service>
{
    static ResourceKind IKubeObject<Service>.StaticKind => ResourceKind.Service;

    public ResourceKind ResourceKind => ResourceKind.Service;

    public IKubeObject CloneObject() => Clone();
}

public sealed partial class EndpointSlice : IKubeObject<EndpointSlice>
{
    static ResourceKind IKubeObject<EndpointSlice>.StaticKind => ResourceKind.EndpointSlice;

    public ResourceKind ResourceKind => ResourceKind.EndpointSlice;

    public IKubeObject CloneObject() => Clone();
}

public sealed partial class PriorityClass : IKubeObject<PriorityClass>
{
    static ResourceKind IKubeObject<PriorityClass>.StaticKind => ResourceKind.PriorityClass;

    public ResourceKind ResourceKind => ResourceKind.PriorityClass;

    public IKubeObject CloneObject() => Clone();
}
