using Google.Protobuf.WellKnownTypes;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Printing;

/// <summary>One small object of every stored kind, created relative to one fixed clock.</summary>
internal static class TableFixtures
{
    public static DateTimeOffset Now { get; } = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static Timestamp Ago(TimeSpan age) => Timestamp.FromDateTimeOffset(Now - age);

    public static ObjectMeta Meta(string name, string ns = "default") =>
        new() { Name = name, Namespace = ns, ResourceVersion = "42", Uid = "uid-" + name, CreationTimestamp = Ago(TimeSpan.FromMinutes(5)), Labels = { ["app"] = name } };

    public static DaemonSet DaemonSet() => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Metadata = Meta("ssd-monitor"),
        Spec = new DaemonSetSpec
        {
            Selector = new LabelSelector { MatchLabels = { ["app"] = "ssd-monitor" } },
            Template = new PodTemplateSpec
            {
                Spec = new PodSpec
                {
                    Containers =
                    {
                        new Container { Name = "main", Image = "busybox:1.36" },
                        new Container { Name = "side", Image = "nginx" },
                    },
                },
            },
        },
        Status = new DaemonSetStatus { DesiredNumberScheduled = 3, CurrentNumberScheduled = 3, NumberReady = 2, UpdatedNumberScheduled = 1, NumberAvailable = 2 },
    };

    /// <summary>A pod of two containers, one running and ready, one restarted twice and waiting in CrashLoopBackOff.</summary>
    public static Pod Pod() => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = Meta("ssd-monitor-abcde"),
        Spec = new PodSpec
        {
            NodeName = "node-1",
            Containers = { new Container { Name = "main", Image = "busybox" }, new Container { Name = "side", Image = "busybox" } },
        },
        Status = new PodStatus
        {
            Phase = "Running",
            PodIp = "10.1.0.7",
            PodIps = { new PodIP { Ip = "10.1.0.7" } },
            ContainerStatuses =
            {
                new ContainerStatus
                {
                    Name = "main",
                    Ready = true,
                    State = new ContainerState { Running = new ContainerStateRunning { StartedAt = Ago(TimeSpan.FromMinutes(4)) } },
                },
                new ContainerStatus
                {
                    Name = "side",
                    RestartCount = 2,
                    State = new ContainerState { Waiting = new ContainerStateWaiting { Reason = "CrashLoopBackOff" } },
                    LastState = new ContainerState { Terminated = new ContainerStateTerminated { ExitCode = 1, FinishedAt = Ago(TimeSpan.FromMinutes(3)) } },
                },
            },
        },
    };

    public static Node Node() => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new ObjectMeta
        {
            Name = "node-1",
            CreationTimestamp = Ago(TimeSpan.FromDays(3)),
            Labels = { ["node-role.kubernetes.io/worker"] = "", ["node-role.kubernetes.io/control-plane"] = "", ["kubernetes.io/role"] = "edge" },
        },
        Spec = new NodeSpec { Unschedulable = true },
        Status = new NodeStatus
        {
            Conditions = { new NodeCondition { Type = "Ready", Status = "True" } },
            Addresses = { new NodeAddress { Type = "InternalIP", Address = "10.0.0.1" } },
            NodeInfo = new NodeSystemInfo { KubeletVersion = "v1.32.0-hostdaemons", OsImage = "Ubuntu 24.04", KernelVersion = "6.8.0", ContainerRuntimeVersion = "docker://27.0.1" },
        },
    };

    public static Event Event() => new()
    {
        ApiVersion = "v1",
        Kind = "Event",
        Metadata = Meta("ssd-monitor.1"),
        InvolvedObject = new EventObjectReference { Kind = "DaemonSet", Name = "ssd-monitor", FieldPath = "spec.containers{main}" },
        Reason = "SuccessfulCreate",
        Message = "Created pod: ssd-monitor-abcde\n",
        Source = new EventSource { Component = "daemonset-controller", Host = "cp-1" },
        FirstTimestamp = Ago(TimeSpan.FromMinutes(10)),
        LastTimestamp = Ago(TimeSpan.FromMinutes(2)),
        Count = 4,
        Type = "Normal",
    };

    /// <summary>One object of each stored kind.</summary>
    public static IEnumerable<IKubeObject> EveryKind() =>
    [
        DaemonSet(), Pod(), Node(), Event(),
        new Namespace { Metadata = Meta("team-a", ""), Status = new NamespaceStatus { Phase = "Active" } },
        new Secret { Metadata = Meta("creds"), Type = "Opaque", Data = { ["a"] = Google.Protobuf.ByteString.CopyFromUtf8("1") } },
        new ConfigMap { Metadata = Meta("settings"), Data = { ["a"] = "1", ["b"] = "2" } },
        new ServiceAccount { Metadata = Meta("builder") },
        new Service { Metadata = Meta("web"), Spec = new ServiceSpec { Type = "ClusterIP", ClusterIps = { "10.96.0.10" }, Ports = { new ServicePort { Port = 80, Protocol = "TCP" } } } },
        new EndpointSlice { Metadata = Meta("web-x1"), AddressType = "IPv4" },
        new ControllerRevision { Metadata = Meta("ssd-monitor-7d9f"), Revision = 3 },
        new Role { Metadata = Meta("reader") },
        new ClusterRole { Metadata = Meta("view", "") },
        new RoleBinding { Metadata = Meta("read"), RoleRef = new RoleRef { Kind = "Role", Name = "reader" } },
        new ClusterRoleBinding { Metadata = Meta("view-all", ""), RoleRef = new RoleRef { Kind = "ClusterRole", Name = "view" } },
        new PriorityClass { Metadata = Meta("high", ""), Value = 1000, GlobalDefault = true, PreemptionPolicy = "PreemptLowerPriority" },
    ];
}
