using Google.Protobuf.WellKnownTypes;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests.Printing;

/// <summary>A daemonset, its pod and its node, as a running HostDaemons cluster holds them, for describe tests.</summary>
internal static class DescribeFixtures
{
    public const string DaemonSetUid = "ds-uid-1";
    public const string PodUid = "pod-uid-1";
    public const string NodeUid = "node-uid-1";

    private static Timestamp At(int hour, int minute, int second) =>
        Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, hour, minute, second, TimeSpan.Zero));

    public static PodSpec Spec() => new()
    {
        NodeSelector = { ["disk"] = "ssd" },
        Tolerations =
        {
            new Toleration { Key = "node.kubernetes.io/unreachable", Operator = "Exists", Effect = "NoExecute", TolerationSeconds = 300 },
            new Toleration { Key = "node-role.kubernetes.io/control-plane", Operator = "Exists", Effect = "NoSchedule" },
        },
        Containers =
        {
            new Container
            {
                Name = "monitor",
                Image = "ghcr.io/acme/ssd-monitor:1.2",
                Command = { "/bin/ssd-monitor" },
                Args = { "--interval=30s" },
                Ports = { new ContainerPort { ContainerPort_ = 8080, HostPort = 8080, Protocol = "TCP" } },
                Env =
                {
                    new EnvVar { Name = "LOG_LEVEL", Value = "info" },
                    new EnvVar { Name = "NODE_NAME", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { ApiVersion = "v1", FieldPath = "spec.nodeName" } } },
                    new EnvVar { Name = "POD_NAME", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { ApiVersion = "v1", FieldPath = "metadata.name" } } },
                },
                Resources = new ResourceRequirements
                {
                    Limits = { ["cpu"] = "200m", ["memory"] = "128Mi" },
                    Requests = { ["cpu"] = "100m", ["memory"] = "64Mi" },
                },
                LivenessProbe = new Probe
                {
                    HttpGet = new HTTPGetAction { Path = "/healthz", Port = new IntOrString { IntValue = 8080 }, Scheme = "HTTP" },
                    TimeoutSeconds = 1,
                    PeriodSeconds = 10,
                    SuccessThreshold = 1,
                    FailureThreshold = 3,
                },
                ReadinessProbe = new Probe
                {
                    Exec = new ExecAction { Command = { "cat", "/tmp/ready" } },
                    InitialDelaySeconds = 5,
                    TimeoutSeconds = 1,
                    PeriodSeconds = 10,
                    SuccessThreshold = 1,
                    FailureThreshold = 3,
                },
                VolumeMounts =
                {
                    new VolumeMount { Name = "varlog", MountPath = "/var/log", ReadOnly = true },
                    new VolumeMount { Name = "cache", MountPath = "/cache" },
                },
            },
        },
        Volumes =
        {
            new Volume { Name = "varlog", HostPath = new HostPathVolumeSource { Path = "/var/log", Type = "Directory" } },
            new Volume { Name = "cache", EmptyDir = new EmptyDirVolumeSource() },
        },
    };

    public static Pod Pod()
    {
        var pod = new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta
            {
                Name = "ssd-monitor-x7k2p",
                Namespace = "default",
                Uid = PodUid,
                CreationTimestamp = At(2, 59, 0),
                Labels = { ["app"] = "ssd-monitor", ["controller-revision-hash"] = "6d4f8b7c9" },
                OwnerReferences = { new OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = "ssd-monitor", Uid = DaemonSetUid, Controller = true } },
            },
            Spec = Spec(),
            Status = new PodStatus
            {
                Phase = "Running",
                HostIp = "10.0.0.1",
                PodIp = "172.17.0.3",
                StartTime = At(2, 59, 1),
                Conditions =
                {
                    new PodCondition { Type = "Initialized", Status = "True" },
                    new PodCondition { Type = "Ready", Status = "True" },
                    new PodCondition { Type = "ContainersReady", Status = "True" },
                    new PodCondition { Type = "PodScheduled", Status = "True" },
                },
                ContainerStatuses =
                {
                    new ContainerStatus
                    {
                        Name = "monitor",
                        Ready = true,
                        RestartCount = 1,
                        Image = "ghcr.io/acme/ssd-monitor:1.2",
                        ImageId = "docker-pullable://ghcr.io/acme/ssd-monitor@sha256:0123abcd",
                        ContainerId = "docker://5f2c1e9a7b3d",
                        State = new ContainerState { Running = new ContainerStateRunning { StartedAt = At(3, 1, 30) } },
                        LastState = new ContainerState
                        {
                            Terminated = new ContainerStateTerminated { ExitCode = 1, Reason = "Error", StartedAt = At(2, 59, 5), FinishedAt = At(3, 1, 25) },
                        },
                    },
                },
            },
        };
        pod.Spec.NodeName = "node-1";
        return pod;
    }

    public static DaemonSet DaemonSet() => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Metadata = new ObjectMeta
        {
            Name = "ssd-monitor",
            Namespace = "default",
            Uid = DaemonSetUid,
            CreationTimestamp = At(2, 58, 0),
            Labels = { ["app"] = "ssd-monitor" },
            Annotations = { ["deprecated.daemonset.template.generation"] = "1" },
        },
        Spec = new DaemonSetSpec
        {
            Selector = new LabelSelector { MatchLabels = { ["app"] = "ssd-monitor" } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = { ["app"] = "ssd-monitor" } },
                Spec = Spec(),
            },
        },
        Status = new DaemonSetStatus
        {
            DesiredNumberScheduled = 1,
            CurrentNumberScheduled = 1,
            NumberReady = 1,
            UpdatedNumberScheduled = 1,
            NumberAvailable = 1,
            NumberMisscheduled = 0,
        },
    };

    public static Node Node() => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new ObjectMeta
        {
            Name = "node-1",
            Uid = NodeUid,
            CreationTimestamp = At(1, 0, 0),
            Labels = { ["kubernetes.io/hostname"] = "node-1", ["kubernetes.io/os"] = "linux", ["node-role.kubernetes.io/edge"] = "" },
        },
        Spec = new NodeSpec(),
        Status = new NodeStatus
        {
            Conditions =
            {
                new NodeCondition
                {
                    Type = "Ready",
                    Status = "True",
                    LastHeartbeatTime = At(3, 3, 55),
                    LastTransitionTime = At(1, 0, 5),
                    Reason = "AgentReady",
                    Message = "hostdaemons-agent is posting ready status",
                },
            },
            Addresses =
            {
                new NodeAddress { Type = "InternalIP", Address = "10.0.0.1" },
                new NodeAddress { Type = "Hostname", Address = "node-1" },
            },
            NodeInfo = new NodeSystemInfo
            {
                MachineId = "4c1f0b2e9d8a4f6b",
                KernelVersion = "6.8.0-45-generic",
                OsImage = "Ubuntu 24.04.1 LTS",
                OperatingSystem = "linux",
                Architecture = "amd64",
                ContainerRuntimeVersion = "docker://27.3.1",
                KubeletVersion = "hostdaemons-v0.1.0",
            },
        },
    };

    public static Event Event(string reason, string message, int count, TimeSpan firstAgo, TimeSpan lastAgo, string type = "Normal",
        string kind = "Pod", string name = "ssd-monitor-x7k2p", string uid = PodUid, string component = "hostdaemons-agent") => new()
    {
        ApiVersion = "v1",
        Kind = "Event",
        Metadata = new ObjectMeta { Name = $"{name}.{reason.ToLowerInvariant()}", Namespace = "default" },
        InvolvedObject = new EventObjectReference { Kind = kind, Namespace = kind == "Node" ? "" : "default", Name = name, Uid = uid, ApiVersion = "v1" },
        Reason = reason,
        Message = message,
        Source = new EventSource { Component = component, Host = "node-1" },
        Type = type,
        Count = count,
        FirstTimestamp = TestPods.Ago(firstAgo),
        LastTimestamp = TestPods.Ago(lastAgo),
    };
}
