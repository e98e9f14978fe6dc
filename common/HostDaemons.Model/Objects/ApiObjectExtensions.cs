using HostDaemons.Model.V1;

namespace HostDaemons.Model.Objects;

public static class ApiObjectExtensions
{
    /// <summary>The object inside the envelope, or null when it is empty.</summary>
    public static IKubeObject? Unwrap(this ApiObject envelope) => envelope.ObjectCase switch
    {
        ApiObject.ObjectOneofCase.DaemonSet => envelope.DaemonSet,
        ApiObject.ObjectOneofCase.Pod => envelope.Pod,
        ApiObject.ObjectOneofCase.Node => envelope.Node,
        ApiObject.ObjectOneofCase.Secret => envelope.Secret,
        ApiObject.ObjectOneofCase.Event => envelope.Event,
        ApiObject.ObjectOneofCase.Namespace => envelope.Namespace,
        ApiObject.ObjectOneofCase.ControllerRevision => envelope.ControllerRevision,
        ApiObject.ObjectOneofCase.ConfigMap => envelope.ConfigMap,
        ApiObject.ObjectOneofCase.ServiceAccount => envelope.ServiceAccount,
        ApiObject.ObjectOneofCase.Role => envelope.Role,
        ApiObject.ObjectOneofCase.ClusterRole => envelope.ClusterRole,
        ApiObject.ObjectOneofCase.RoleBinding => envelope.RoleBinding,
        ApiObject.ObjectOneofCase.ClusterRoleBinding => envelope.ClusterRoleBinding,
        ApiObject.ObjectOneofCase.Service => envelope.Service,
        ApiObject.ObjectOneofCase.EndpointSlice => envelope.EndpointSlice,
        ApiObject.ObjectOneofCase.PriorityClass => envelope.PriorityClass,
        _ => null,
    };

    public static ApiObject Wrap(this IKubeObject value) => value switch
    {
        DaemonSet ds => new ApiObject { DaemonSet = ds },
        Pod pod => new ApiObject { Pod = pod },
        Node node => new ApiObject { Node = node },
        Secret secret => new ApiObject { Secret = secret },
        Event e => new ApiObject { Event = e },
        Namespace ns => new ApiObject { Namespace = ns },
        ControllerRevision revision => new ApiObject { ControllerRevision = revision },
        ConfigMap v => new ApiObject { ConfigMap = v },
        ServiceAccount v => new ApiObject { ServiceAccount = v },
        Role v => new ApiObject { Role = v },
        ClusterRole v => new ApiObject { ClusterRole = v },
        RoleBinding v => new ApiObject { RoleBinding = v },
        ClusterRoleBinding v => new ApiObject { ClusterRoleBinding = v },
        Service v => new ApiObject { Service = v },
        EndpointSlice v => new ApiObject { EndpointSlice = v },
        PriorityClass v => new ApiObject { PriorityClass = v },
        _ => throw new ArgumentException($"cannot wrap {value.GetType().Name}", nameof(value)),
    };

    /// <summary><c>namespace/name</c>, or just the name for cluster-scoped objects.</summary>
    public static string Key(this IKubeObject value) =>
        string.IsNullOrEmpty(value.Metadata?.Namespace) ? value.Metadata?.Name ?? "" : $"{value.Metadata.Namespace}/{value.Metadata.Name}";

    /// <summary>The owner reference marked as controller, if any.</summary>
    public static OwnerReference? ControllerRef(this ObjectMeta metadata) =>
        metadata.OwnerReferences.FirstOrDefault(o => o.HasController && o.Controller);

    public static bool IsTerminating(this IKubeObject value) => value.Metadata?.DeletionTimestamp is not null;
}
