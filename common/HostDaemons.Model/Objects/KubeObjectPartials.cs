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
