using Google.Protobuf.Reflection;

namespace HostDaemons.ControlPlane.KubeApi.OpenApi;

/// <summary>
/// What Kubernetes' types say of fields that a proto3 descriptor cannot, besides their patch metadata: which are
/// required, which strings are Quantities. Keyed by <c>Message</c> and <c>Message.jsonName</c>; a field HostDaemons
/// does not declare is never listed in a document.
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

    private static readonly HashSet<string> s_quantities = new(StringComparer.Ordinal)
    {
        "EmptyDirVolumeSource.sizeLimit", "ResourceFieldSelector.divisor", "ResourceRequirements.limits", "ResourceRequirements.requests",
        "NodeStatus.capacity", "NodeStatus.allocatable",
    };

    public static IEnumerable<string> Required(MessageDescriptor message) =>
        s_required.TryGetValue(message.Name, out var names) ? names.Where(n => message.Fields.InDeclarationOrder().Any(f => f.JsonName == n)) : [];

    public static bool IsQuantity(FieldDescriptor field) => s_quantities.Contains(Key(field));

    private static string Key(FieldDescriptor field) => $"{field.ContainingType.Name}.{field.JsonName}";
}
