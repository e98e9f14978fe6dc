using Google.Protobuf.Reflection;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Objects;

/// <summary>What kubectl knows about a kind: its names, group and whether it is namespaced.</summary>
public sealed record ResourceKindInfo(
    ResourceKind Kind,
    string KindName,
    string ApiVersion,
    string Plural,
    string Singular,
    IReadOnlyList<string> ShortNames,
    bool Namespaced,
    MessageDescriptor Descriptor)
{
    /// <summary>The API group ("apps"), empty for the core group.</summary>
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : "";

    /// <summary>kubectl's name of the resource in messages: <c>daemonset.apps</c>, <c>pod</c>.</summary>
    public string QualifiedSingular => Group.Length == 0 ? Singular : $"{Singular}.{Group}";

    /// <summary>kubectl's name of the resource type in server errors: <c>daemonsets.apps</c>, <c>pods</c>.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}

public static class ResourceKinds
{
    public static ResourceKindInfo DaemonSet { get; } = new(
        ResourceKind.DaemonSet, "DaemonSet", "apps/v1", "daemonsets", "daemonset", ["ds"], Namespaced: true, V1.DaemonSet.Descriptor);

    public static ResourceKindInfo Pod { get; } = new(
        ResourceKind.Pod, "Pod", "v1", "pods", "pod", ["po"], Namespaced: true, V1.Pod.Descriptor);

    public static ResourceKindInfo Node { get; } = new(
        ResourceKind.Node, "Node", "v1", "nodes", "node", ["no"], Namespaced: false, V1.Node.Descriptor);

    public static ResourceKindInfo Secret { get; } = new(
        ResourceKind.Secret, "Secret", "v1", "secrets", "secret", [], Namespaced: true, V1.Secret.Descriptor);

    public static ResourceKindInfo Event { get; } = new(
        ResourceKind.Event, "Event", "v1", "events", "event", ["ev"], Namespaced: true, V1.Event.Descriptor);

    public static ResourceKindInfo Namespace { get; } = new(
        ResourceKind.Namespace, "Namespace", "v1", "namespaces", "namespace", ["ns"], Namespaced: false, V1.Namespace.Descriptor);

    public static ResourceKindInfo ControllerRevision { get; } = new(
        ResourceKind.ControllerRevision, "ControllerRevision", "apps/v1", "controllerrevisions", "controllerrevision", [], Namespaced: true,
        V1.ControllerRevision.Descriptor);

    public static ResourceKindInfo ConfigMap { get; } = new(
        ResourceKind.ConfigMap, "ConfigMap", "v1", "configmaps", "configmap", ["cm"], Namespaced: true, V1.ConfigMap.Descriptor);

    public static ResourceKindInfo ServiceAccount { get; } = new(
        ResourceKind.ServiceAccount, "ServiceAccount", "v1", "serviceaccounts", "serviceaccount", ["sa"], Namespaced: true, V1.ServiceAccount.Descriptor);

    public static ResourceKindInfo Role { get; } = new(
        ResourceKind.Role, "Role", "rbac.authorization.k8s.io/v1", "roles", "role", [], Namespaced: true, V1.Role.Descriptor);

    public static ResourceKindInfo ClusterRole { get; } = new(
        ResourceKind.ClusterRole, "ClusterRole", "rbac.authorization.k8s.io/v1", "clusterroles", "clusterrole", [], Namespaced: false, V1.ClusterRole.Descriptor);

    public static ResourceKindInfo RoleBinding { get; } = new(
        ResourceKind.RoleBinding, "RoleBinding", "rbac.authorization.k8s.io/v1", "rolebindings", "rolebinding", [], Namespaced: true, V1.RoleBinding.Descriptor);

    public static ResourceKindInfo ClusterRoleBinding { get; } = new(
        ResourceKind.ClusterRoleBinding, "ClusterRoleBinding", "rbac.authorization.k8s.io/v1", "clusterrolebindings", "clusterrolebinding", [], Namespaced: false,
        V1.ClusterRoleBinding.Descriptor);

    public static ResourceKindInfo Service { get; } = new(
        ResourceKind.Service, "Service", "v1", "services", "service", ["svc"], Namespaced: true, V1.Service.Descriptor);

    public static ResourceKindInfo EndpointSlice { get; } = new(
        ResourceKind.EndpointSlice, "EndpointSlice", "discovery.k8s.io/v1", "endpointslices", "endpointslice", [], Namespaced: true, V1.EndpointSlice.Descriptor);

    public static ResourceKindInfo PriorityClass { get; } = new(
        ResourceKind.PriorityClass, "PriorityClass", "scheduling.k8s.io/v1", "priorityclasses", "priorityclass", ["pc"], Namespaced: false, V1.PriorityClass.Descriptor);

    public static IReadOnlyList<ResourceKindInfo> All { get; } =
    [
        DaemonSet, Pod, Node, Secret, Event, Namespace, ControllerRevision, ConfigMap, ServiceAccount, Role, ClusterRole, RoleBinding, ClusterRoleBinding,
        Service, EndpointSlice, PriorityClass,
    ];

    public static ResourceKindInfo Get(ResourceKind kind) =>
        All.FirstOrDefault(k => k.Kind == kind) ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown resource kind");

    /// <summary>Finds a kind by any name kubectl accepts: <c>ds</c>, <c>daemonset</c>, <c>daemonsets</c>, <c>daemonsets.apps</c>, <c>DaemonSet</c>.</summary>
    public static ResourceKindInfo? FindByNoun(string noun)
    {
        var lower = noun.ToLowerInvariant();
        foreach (var info in All)
        {
            if (lower == info.Plural || lower == info.Singular || string.Equals(noun, info.KindName, StringComparison.OrdinalIgnoreCase)
                || info.ShortNames.Contains(lower) || lower == info.QualifiedPlural || lower == info.QualifiedSingular)
            {
                return info;
            }
        }

        return null;
    }

    /// <summary>Finds a kind by a manifest's <c>kind</c> field (exact case, as Kubernetes requires).</summary>
    public static ResourceKindInfo? FindByKindName(string kindName) => All.FirstOrDefault(k => k.KindName == kindName);
}
