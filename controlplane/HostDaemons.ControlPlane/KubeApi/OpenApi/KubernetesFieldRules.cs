using Google.Protobuf.Reflection;

namespace HostDaemons.ControlPlane.KubeApi.OpenApi;

/// <summary>
/// What Kubernetes' types say of fields that a proto3 descriptor cannot: which are required, which lists are maps or
/// sets (<c>x-kubernetes-list-type</c>), which strings are Quantities. Keyed by <c>Message.jsonName</c>; a field
/// HostDaemons does not declare is never listed in a document.
/// </summary>
internal static class KubernetesFieldRules
{
    private static readonly Dictionary<string, string[]> s_required = new(StringComparer.Ordinal)
    {
        ["AppArmorProfile"] = ["type"],
        ["ClusterRoleBinding"] = ["roleRef"],
        ["ConfigMapKeySelector"] = ["key"],
        ["Container"] = ["name"],
        ["ContainerPort"] = ["containerPort"],
        ["ContainerStateTerminated"] = ["exitCode"],
        ["ContainerStatus"] = ["name", "ready", "restartCount", "image", "imageID"],
        ["ControllerRevision"] = ["revision"],
        ["DaemonSetSpec"] = ["selector", "template"],
        ["DaemonSetStatus"] = ["currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady"],
        ["DownwardAPIVolumeFile"] = ["path"],
        ["Endpoint"] = ["addresses"],
        ["EndpointSlice"] = ["addressType", "endpoints"],
        ["EnvVar"] = ["name"],
        ["Event"] = ["metadata", "involvedObject"],
        ["HTTPGetAction"] = ["port"],
        ["HTTPHeader"] = ["name", "value"],
        ["HostAlias"] = ["ip"],
        ["HostIP"] = ["ip"],
        ["HostPathVolumeSource"] = ["path"],
        ["KeyToPath"] = ["key", "path"],
        ["LabelSelectorRequirement"] = ["key", "operator"],
        ["NodeAddress"] = ["type", "address"],
        ["NodeCondition"] = ["type", "status"],
        ["NodeSelector"] = ["nodeSelectorTerms"],
        ["NodeSelectorRequirement"] = ["key", "operator"],
        ["NodeSystemInfo"] = ["machineID", "kernelVersion", "osImage", "containerRuntimeVersion", "kubeletVersion", "operatingSystem", "architecture"],
        ["ObjectFieldSelector"] = ["fieldPath"],
        ["OwnerReference"] = ["apiVersion", "kind", "name", "uid"],
        ["PodAffinityTerm"] = ["topologyKey"],
        ["PodCondition"] = ["type", "status"],
        ["PodIP"] = ["ip"],
        ["PodReadinessGate"] = ["conditionType"],
        ["PodSpec"] = ["containers"],
        ["PolicyRule"] = ["verbs"],
        ["PreferredSchedulingTerm"] = ["weight", "preference"],
        ["PriorityClass"] = ["value"],
        ["ResourceFieldSelector"] = ["resource"],
        ["RoleBinding"] = ["roleRef"],
        ["RoleRef"] = ["apiGroup", "kind", "name"],
        ["SeccompProfile"] = ["type"],
        ["SecretKeySelector"] = ["key"],
        ["ServiceAccountTokenProjection"] = ["path"],
        ["ServicePort"] = ["port"],
        ["SleepAction"] = ["seconds"],
        ["Subject"] = ["kind", "name"],
        ["Sysctl"] = ["name", "value"],
        ["TCPSocketAction"] = ["port"],
        ["Taint"] = ["key", "effect"],
        ["Volume"] = ["name"],
        ["VolumeMount"] = ["name", "mountPath"],
        ["WeightedPodAffinityTerm"] = ["weight", "podAffinityTerm"],
    };

    private static readonly Dictionary<string, string[]> s_listMapKeys = new(StringComparer.Ordinal)
    {
        ["Container.env"] = ["name"],
        ["Container.ports"] = ["containerPort", "protocol"],
        ["Container.volumeMounts"] = ["mountPath"],
        ["NodeStatus.addresses"] = ["type"],
        ["NodeStatus.conditions"] = ["type"],
        ["ObjectMeta.ownerReferences"] = ["uid"],
        ["PodSpec.containers"] = ["name"],
        ["PodSpec.hostAliases"] = ["ip"],
        ["PodSpec.imagePullSecrets"] = ["name"],
        ["PodSpec.initContainers"] = ["name"],
        ["PodSpec.volumes"] = ["name"],
        ["PodStatus.conditions"] = ["type"],
        ["PodStatus.hostIPs"] = ["ip"],
        ["PodStatus.podIPs"] = ["ip"],
        ["ServiceAccount.secrets"] = ["name"],
        ["ServiceSpec.ports"] = ["port", "protocol"],
    };

    private static readonly HashSet<string> s_setLists = new(StringComparer.Ordinal)
    {
        "Endpoint.addresses", "ObjectMeta.finalizers",
    };

    private static readonly HashSet<string> s_quantities = new(StringComparer.Ordinal)
    {
        "EmptyDirVolumeSource.sizeLimit", "ResourceFieldSelector.divisor", "ResourceRequirements.limits", "ResourceRequirements.requests",
        "NodeStatus.capacity", "NodeStatus.allocatable",
    };

    public static IEnumerable<string> Required(MessageDescriptor message) =>
        s_required.TryGetValue(message.Name, out var names) ? names.Where(n => message.Fields.InDeclarationOrder().Any(f => f.JsonName == n)) : [];

    /// <summary><c>map</c> with its keys, <c>set</c>, or <c>atomic</c> (Kubernetes' default for the lists of built-in types).</summary>
    public static (string Type, IReadOnlyList<string> MapKeys) ListType(FieldDescriptor field)
    {
        var key = Key(field);
        return s_listMapKeys.TryGetValue(key, out var keys) ? ("map", keys) : s_setLists.Contains(key) ? ("set", []) : ("atomic", []);
    }

    public static bool IsQuantity(FieldDescriptor field) => s_quantities.Contains(Key(field));

    private static string Key(FieldDescriptor field) => $"{field.ContainingType.Name}.{field.JsonName}";
}
