using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Storage;

/// <summary>Where an object lives: its kind, namespace (empty for cluster-scoped kinds) and name.</summary>
internal readonly record struct ObjectKey(ResourceKind Kind, string Namespace, string Name)
{
    public static ObjectKey Of(IKubeObject value) => new(value.ResourceKind, value.Metadata.Namespace, value.Metadata.Name);

    public override string ToString() => Namespace.Length == 0 ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}
