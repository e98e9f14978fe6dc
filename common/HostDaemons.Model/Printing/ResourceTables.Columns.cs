using HostDaemons.Model.V1;

namespace HostDaemons.Model.Printing;

/// <summary>
/// Each kind's columns exactly as kube-apiserver's printers define them (pkg/printers/internalversion AddHandlers): names,
/// order, types and priorities. Roles and ClusterRoles have no printer there and get the default table convertor's
/// <c>Name</c> and <c>Created At</c>.
/// </summary>
public static partial class ResourceTables
{
    private const string NameDoc = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a " +
        "client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration " +
        "definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    private const string CreatedDoc = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed " +
        "to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\n" +
        "Populated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    private static readonly TableColumn NameColumn = new("Name", "string", NameDoc, Format: "name");
    private static readonly TableColumn AgeColumn = new("Age", "string", CreatedDoc);
    private static readonly TableColumn ContainersColumn = new("Containers", "string", "Names of each container in the template.", Priority: 1);
    private static readonly TableColumn ImagesColumn = new("Images", "string", "Images referenced by each container in the template.", Priority: 1);

    private static readonly Dictionary<ResourceKind, TableColumn[]> ByKind = new()
    {
        [ResourceKind.DaemonSet] =
        [
            NameColumn,
            new("Desired", "integer", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod)."),
            new("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
            new("Ready", "integer", "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
            new("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod"),
            new("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
            new("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node."),
            AgeColumn,
            ContainersColumn,
            ImagesColumn,
            new("Selector", "string", "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels.", Priority: 1),
        ],
        [ResourceKind.Pod] =
        [
            NameColumn,
            new("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
            new("Status", "string", "The aggregate status of the containers in this pod."),
            new("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            AgeColumn,
            new("IP", "string", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", Priority: 1),
            new("Node", "string", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.", Priority: 1),
            new("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.", Priority: 1),
            new("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\"", Priority: 1),
        ],
        [ResourceKind.Node] =
        [
            NameColumn,
            new("Status", "string", "The status of the node"),
            new("Roles", "string", "The roles of the node"),
            AgeColumn,
            new("Version", "string", "Kubelet Version reported by the node."),
            new("Internal-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available.", Priority: 1),
            new("External-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available.", Priority: 1),
            new("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", Priority: 1),
            new("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", Priority: 1),
            new("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", Priority: 1),
        ],
        [ResourceKind.Event] =
        [
            new("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
            new("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future"),
            new("Reason", "string", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            new("Object", "string", "The object that this event is about."),
            new("Subobject", "string", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].", Priority: 1),
            new("Source", "string", "The component reporting this event. Should be a short machine understandable string.", Priority: 1),
            new("Message", "string", "A human-readable description of the status of this operation."),
            new("First Seen", "string", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", Priority: 1),
            new("Count", "string", "The number of times this event has occurred.", Priority: 1),
            NameColumn with { Priority = 1 },
        ],
        [ResourceKind.Namespace] = [NameColumn, new("Status", "string", "The status of the namespace"), AgeColumn],
        [ResourceKind.Secret] =
        [
            NameColumn,
            new("Type", "string", "Used to facilitate programmatic handling of secret data."),
            new("Data", "string", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'."),
            AgeColumn,
        ],
        [ResourceKind.ConfigMap] =
        [
            NameColumn,
            new("Data", "string", "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'."),
            AgeColumn,
        ],
        [ResourceKind.ServiceAccount] =
        [
            NameColumn,
            new("Secrets", "string", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."),
            AgeColumn,
        ],
        [ResourceKind.Service] =
        [
            NameColumn,
            new("Type", "string", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer."),
            new("Cluster-IP", "string", "clusterIP is the IP address of the service and is usually assigned randomly."),
            new("External-IP", "string", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
            new("Port(s)", "string", "The list of ports that are exposed by this service."),
            AgeColumn,
            new("Selector", "string", "Route service traffic to pods with label keys and values matching this selector.", Priority: 1),
        ],
        [ResourceKind.EndpointSlice] =
        [
            NameColumn,
            new("AddressType", "string", "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type."),
            new("Ports", "string", "ports specifies the list of network ports exposed by each endpoint in this slice."),
            new("Endpoints", "string", "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints."),
            AgeColumn,
        ],
        [ResourceKind.ControllerRevision] =
        [
            NameColumn,
            new("Controller", "string", "Controller of the object"),
            new("Revision", "string", "Revision indicates the revision of the state represented by Data."),
            AgeColumn,
        ],
        [ResourceKind.Role] = [NameColumn, new("Created At", "date", CreatedDoc)],
        [ResourceKind.ClusterRole] = [NameColumn, new("Created At", "date", CreatedDoc)],
        [ResourceKind.RoleBinding] = BindingColumns("roleBinding",
            "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable."),
        [ResourceKind.ClusterRoleBinding] = BindingColumns("clusterRoleBinding",
            "RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable."),
        [ResourceKind.PriorityClass] =
        [
            NameColumn,
            new("Value", "integer", "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec."),
            new("Global-Default", "boolean", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class."),
            AgeColumn,
            new("PreemptionPolicy", "string", "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset."),
        ],
    };

    /// <summary>The kind's columns, default ones and <c>-o wide</c> ones (priority 1) in the server's order.</summary>
    public static IReadOnlyList<TableColumn> Columns(ResourceKind kind) =>
        ByKind.TryGetValue(kind, out var columns) ? columns : throw new ArgumentOutOfRangeException(nameof(kind), kind, "no table columns for this kind");

    /// <summary>The headers hdctl prints: every column's with <paramref name="wide"/>, else those of priority 0.</summary>
    public static string[] Header(ResourceKind kind, bool wide) => [.. Columns(kind).Where(c => c.ShownIn(wide)).Select(c => c.Header)];

    private static TableColumn[] BindingColumns(string noun, string roleRefDoc) =>
    [
        NameColumn,
        new("Role", "string", roleRefDoc),
        AgeColumn,
        new("Users", "string", $"Users in the {noun}", Priority: 1),
        new("Groups", "string", $"Groups in the {noun}", Priority: 1),
        new("ServiceAccounts", "string", $"ServiceAccounts in the {noun}", Priority: 1),
    ];
}
