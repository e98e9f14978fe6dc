using Google.Protobuf;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Objects;

/// <summary>A stored, Kubernetes-shaped object: it has metadata and belongs to one <see cref="ResourceKind"/>.</summary>
public interface IKubeObject : IMessage
{
    string ApiVersion { get; set; }

    string Kind { get; set; }

    ObjectMeta Metadata { get; set; }

    ResourceKind ResourceKind { get; }

    /// <summary>A deep copy: stored objects are shared and never changed in place.</summary>
    IKubeObject CloneObject();
}

/// <summary>The static side of <see cref="IKubeObject"/>, for generic code that names a kind by type.</summary>
public interface IKubeObject<TSelf> : IKubeObject, IMessage<TSelf>
    where TSelf : IKubeObject<TSelf>
{
    static abstract ResourceKind StaticKind { get; }

    static abstract MessageParser<TSelf> Parser { get; }
}
