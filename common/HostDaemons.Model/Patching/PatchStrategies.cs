using System.Collections.Frozen;
using Google.Protobuf.Reflection;

namespace HostDaemons.Model.Patching;

/// <summary>
/// Kubernetes' patch metadata for every list field of the stored kinds, as k8s.io/api declares it (the
/// <c>patchStrategy</c>/<c>patchMergeKey</c> tags and <c>+listType</c>/<c>+listMapKey</c> markers of core/v1, apps/v1,
/// meta/v1, rbac/v1 and discovery/v1 at v1.32), keyed by the message's full name and the field's JSON name.
/// Strategic merge patch, server-side apply and the OpenAPI document read this one table. Maps
/// (<c>labels</c>, <c>data</c>, <c>nodeSelector</c>...) are not here: they always merge key by key.
/// </summary>
public static class PatchStrategies
{
    private static readonly FieldPatchMeta Atomic = FieldPatchMeta.Atomic;

    private static readonly FrozenDictionary<string, FieldPatchMeta> Table = new Dictionary<string, FieldPatchMeta>(StringComparer.Ordinal)
    {
        // meta/v1
        ["ObjectMeta.ownerReferences"] = Merge("uid"),
        ["ObjectMeta.managedFields"] = Atomic,
        ["LabelSelector.matchExpressions"] = Atomic,
        ["LabelSelectorRequirement.values"] = Atomic,

        // core/v1 PodSpec
        ["PodSpec.containers"] = Merge("name"),
        ["PodSpec.initContainers"] = Merge("name"),
        ["PodSpec.volumes"] = new("merge,retainKeys", "name", ListType.Map, ["name"]),
        ["PodSpec.imagePullSecrets"] = Merge("name"),
        ["PodSpec.tolerations"] = Atomic,
        ["PodSpec.readinessGates"] = Atomic,
        ["PodSpec.hostAliases"] = Merge("ip"),
        ["HostAlias.hostnames"] = Atomic,
        ["NodeAffinity.preferredDuringSchedulingIgnoredDuringExecution"] = Atomic,
        ["NodeSelector.nodeSelectorTerms"] = Atomic,
        ["NodeSelectorTerm.matchExpressions"] = Atomic,
        ["NodeSelectorTerm.matchFields"] = Atomic,
        ["NodeSelectorRequirement.values"] = Atomic,
        ["PodAffinity.requiredDuringSchedulingIgnoredDuringExecution"] = Atomic,
        ["PodAffinity.preferredDuringSchedulingIgnoredDuringExecution"] = Atomic,
        ["PodAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution"] = Atomic,
        ["PodAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution"] = Atomic,
        ["PodAffinityTerm.namespaces"] = Atomic,
        ["PodDNSConfig.nameservers"] = Atomic,
        ["PodDNSConfig.searches"] = Atomic,
        ["PodDNSConfig.options"] = Atomic,
        ["PodSecurityContext.supplementalGroups"] = Atomic,
        ["PodSecurityContext.sysctls"] = Atomic,

        // core/v1 Container
        ["Container.command"] = Atomic,
        ["Container.args"] = Atomic,
        ["Container.env"] = Merge("name"),
        ["Container.envFrom"] = Atomic,
        ["Container.volumeMounts"] = Merge("mountPath"),
        ["Container.ports"] = new("merge", "containerPort", ListType.Map, ["containerPort", "protocol"]),
        ["Capabilities.add"] = Atomic,
        ["Capabilities.drop"] = Atomic,
        ["ExecAction.command"] = Atomic,
        ["HTTPGetAction.httpHeaders"] = Atomic,

        // core/v1 volume sources
        ["ConfigMapVolumeSource.items"] = Atomic,
        ["SecretVolumeSource.items"] = Atomic,
        ["DownwardAPIVolumeSource.items"] = Atomic,
        ["ProjectedVolumeSource.sources"] = Atomic,
        ["SecretProjection.items"] = Atomic,
        ["ConfigMapProjection.items"] = Atomic,
        ["DownwardAPIProjection.items"] = Atomic,

        // core/v1 PodStatus
        ["PodStatus.conditions"] = Merge("type"),
        ["PodStatus.containerStatuses"] = Atomic,
        ["PodStatus.initContainerStatuses"] = Atomic,
        ["PodStatus.podIPs"] = Merge("ip"),
        ["PodStatus.hostIPs"] = new("merge", "ip", ListType.Atomic, []),

        // core/v1 Node
        ["NodeSpec.taints"] = Atomic,
        ["NodeStatus.conditions"] = Merge("type"),
        ["NodeStatus.addresses"] = new("merge", "type", ListType.Atomic, []),

        // core/v1 ServiceAccount, Service, Namespace
        ["ServiceAccount.secrets"] = Merge("name"),
        ["ServiceAccount.imagePullSecrets"] = Atomic,
        ["ServiceSpec.ports"] = new("merge", "port", ListType.Map, ["port", "protocol"]),
        ["ServiceSpec.clusterIPs"] = Atomic,
        ["ServiceSpec.externalIPs"] = Atomic,
        ["ServiceSpec.loadBalancerSourceRanges"] = Atomic,
        ["ServiceSpec.ipFamilies"] = Atomic,
        ["LoadBalancerStatus.ingress"] = Atomic,
        ["NamespaceSpec.finalizers"] = Atomic,

        // discovery/v1
        ["EndpointSlice.endpoints"] = Atomic,
        ["EndpointSlice.ports"] = Atomic,
        ["Endpoint.addresses"] = new(null, null, ListType.Set, []),

        // rbac/v1
        ["Role.rules"] = Atomic,
        ["ClusterRole.rules"] = Atomic,
        ["AggregationRule.clusterRoleSelectors"] = Atomic,
        ["RoleBinding.subjects"] = Atomic,
        ["ClusterRoleBinding.subjects"] = Atomic,
        ["PolicyRule.verbs"] = Atomic,
        ["PolicyRule.apiGroups"] = Atomic,
        ["PolicyRule.resources"] = Atomic,
        ["PolicyRule.resourceNames"] = Atomic,
        ["PolicyRule.nonResourceURLs"] = Atomic,
    }.ToFrozenDictionary(
        entry => Package + entry.Key,
        entry => entry.Value,
        StringComparer.Ordinal);

    private const string Package = "hostdaemons.v1.";

    /// <summary>
    /// Messages Kubernetes marks <c>+structType=atomic</c>: server-side apply owns and replaces them whole (OpenAPI:
    /// <c>x-kubernetes-map-type: atomic</c>). A strategic merge patch still merges them field by field.
    /// </summary>
    private static readonly FrozenSet<string> AtomicStructs = new[]
    {
        "LabelSelector", "OwnerReference", "NodeSelector", "LocalObjectReference", "ConfigMapKeySelector",
        "SecretKeySelector", "ObjectFieldSelector", "ResourceFieldSelector", "EventObjectReference", "RoleRef",
    }.Select(name => Package + name).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether the message is a Kubernetes <c>+structType=atomic</c> struct.</summary>
    public static bool IsAtomicStruct(MessageDescriptor message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return AtomicStructs.Contains(message.FullName);
    }

    /// <summary>Every classified field, keyed <c>hostdaemons.v1.Message.jsonName</c>.</summary>
    public static IReadOnlyDictionary<string, FieldPatchMeta> All => Table;

    /// <summary>The metadata of a list field, or null for a field that is not a list (maps included) or not classified.</summary>
    public static FieldPatchMeta? For(FieldDescriptor field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.IsRepeated && !field.IsMap ? For(field.ContainingType.FullName, field.JsonName) : null;
    }

    /// <summary>The metadata of the list field <paramref name="jsonName"/> of the message <paramref name="messageFullName"/>.</summary>
    public static FieldPatchMeta? For(string messageFullName, string jsonName) =>
        Table.GetValueOrDefault(messageFullName + "." + jsonName);

    private static FieldPatchMeta Merge(string key) => new("merge", key, ListType.Map, [key]);
}
