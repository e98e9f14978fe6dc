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
