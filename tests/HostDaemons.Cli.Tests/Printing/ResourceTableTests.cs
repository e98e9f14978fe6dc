using HostDaemons.Model.Printing;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests.Printing;

public sealed class ResourceTableTests
{
    private static DaemonSet DaemonSet() => new()
    {
        Metadata = new ObjectMeta { Name = "ssd-monitor", Namespace = "default", CreationTimestamp = TestPods.Ago(TimeSpan.FromMinutes(5)) },
        Spec = new DaemonSetSpec
        {
            Selector = new LabelSelector { MatchLabels = { ["app"] = "ssd-monitor" } },
            Template = new PodTemplateSpec
            {
                Spec = new PodSpec
                {
                    NodeSelector = { ["zone"] = "a", ["disk"] = "ssd" },
                    Containers =
                    {
                        new Container { Name = "main", Image = "ssd-monitor" },
                        new Container { Name = "sidecar", Image = "busybox:1.36" },
                    },
                },
            },
        },
        Status = new DaemonSetStatus
        {
            DesiredNumberScheduled = 3,
            CurrentNumberScheduled = 3,
            NumberReady = 2,
            UpdatedNumberScheduled = 1,
            NumberAvailable = 2,
        },
    };

    private static Node Node(string readyStatus = "True") => new()
    {
        Metadata = new ObjectMeta { Name = "node-1", CreationTimestamp = TestPods.Ago(TimeSpan.FromDays(3)) },
        Spec = new NodeSpec(),
        Status = new NodeStatus
        {
            Conditions = { new NodeCondition { Type = "Ready", Status = readyStatus } },
            Addresses = { new NodeAddress { Type = "InternalIP", Address = "10.0.0.1" }, new NodeAddress { Type = "Hostname", Address = "node-1" } },
            NodeInfo = new NodeSystemInfo { KubeletVersion = "hostdaemons-v0.1.0", OsImage = "Ubuntu 24.04", KernelVersion = "6.8.0", ContainerRuntimeVersion = "docker://27.0.1" },
        },
    };

    [Theory]
    [InlineData(ResourceKind.DaemonSet, false, "NAME,DESIRED,CURRENT,READY,UP-TO-DATE,AVAILABLE,NODE SELECTOR,AGE")]
    [InlineData(ResourceKind.DaemonSet, true, "NAME,DESIRED,CURRENT,READY,UP-TO-DATE,AVAILABLE,NODE SELECTOR,AGE,CONTAINERS,IMAGES,SELECTOR")]
    [InlineData(ResourceKind.Pod, false, "NAME,READY,STATUS,RESTARTS,AGE")]
    [InlineData(ResourceKind.Pod, true, "NAME,READY,STATUS,RESTARTS,AGE,IP,NODE,NOMINATED NODE,READINESS GATES")]
    [InlineData(ResourceKind.Node, false, "NAME,STATUS,ROLES,AGE,VERSION")]
    [InlineData(ResourceKind.Node, true, "NAME,STATUS,ROLES,AGE,VERSION,INTERNAL-IP,EXTERNAL-IP,OS-IMAGE,KERNEL-VERSION,CONTAINER-RUNTIME")]
    public void Header_EveryKind_IsKubectlColumns(ResourceKind kind, bool wide, string expected)
    {
        Assert.Equal(expected, string.Join(",", ResourceTables.Header(kind, wide)));
    }

    [Fact]
    public void Row_DaemonSet_StatusCountsNodeSelectorAndAge()
    {
        Assert.Equal(["ssd-monitor", "3", "3", "2", "1", "2", "disk=ssd,zone=a", "5m"], ResourceTables.Row(DaemonSet(), wide: false, TestPods.Now));
    }

    [Fact]
    public void Row_DaemonSetWide_AddsContainersImagesAndSelector()
    {
        var row = ResourceTables.Row(DaemonSet(), wide: true, TestPods.Now);

        Assert.Equal(["main,sidecar", "ssd-monitor,busybox:1.36", "app=ssd-monitor"], row[^3..]);
        Assert.Equal(ResourceTables.Header(ResourceKind.DaemonSet, wide: true).Length, row.Length);
    }

    [Fact]
    public void Row_DaemonSetWithoutStatusOrNodeSelector_ZerosAndNone()
    {
        var ds = DaemonSet();
        ds.Status = null;
        ds.Spec.Template.Spec.NodeSelector.Clear();

        Assert.Equal(["ssd-monitor", "0", "0", "0", "0", "0", "<none>", "5m"], ResourceTables.Row(ds, wide: false, TestPods.Now));
    }

    [Fact]
    public void Row_DaemonSetWithoutSelector_WideSelectorIsNone()
    {
        var ds = DaemonSet();
        ds.Spec.Selector = null;

        Assert.Equal("<none>", ResourceTables.Row(ds, wide: true, TestPods.Now)[^1]);
    }

    [Fact]
    public void Row_WithoutCreationTimestamp_AgeIsUnknown()
    {
        var ds = DaemonSet();
        ds.Metadata.CreationTimestamp = null;

        Assert.Equal("<unknown>", ResourceTables.Row(ds, wide: false, TestPods.Now)[7]);
    }

    [Fact]
    public void Row_Pod_ReadyStatusRestartsAge()
    {
        var pod = TestPods.Pod();
        pod.Status.Phase = "Running";
        pod.Status.ContainerStatuses.Add(TestPods.Running("c0"));

        Assert.Equal(["ssd-monitor-abcde", "1/1", "Running", "0", "5m"], ResourceTables.Row(pod, wide: false, TestPods.Now));
    }

    [Fact]
    public void Row_PodWide_AddsIpNodeNominatedNodeAndReadinessGates()
    {
        var pod = TestPods.Pod();
        pod.Status.PodIp = "172.17.0.3";

        Assert.Equal(["172.17.0.3", "node-1", "<none>", "<none>"], ResourceTables.Row(pod, wide: true, TestPods.Now)[^4..]);
    }

    [Fact]
    public void Row_PodWideWithoutIpOrNode_IsNone()
    {
        var pod = TestPods.Pod();
        pod.Spec.NodeName = "";

        Assert.Equal(["<none>", "<none>"], ResourceTables.Row(pod, wide: true, TestPods.Now)[^4..^2]);
    }

    [Theory]
    [InlineData("True", "Ready")]
    [InlineData("False", "NotReady")]
    [InlineData("Unknown", "NotReady")]
    public void Row_Node_StatusFromReadyCondition(string condition, string expected)
    {
        Assert.Equal(["node-1", expected, "<none>", "3d", "hostdaemons-v0.1.0"], ResourceTables.Row(Node(condition), wide: false, TestPods.Now));
    }

    [Fact]
    public void Row_NodeWithoutReadyCondition_IsUnknown()
    {
        var node = Node();
        node.Status.Conditions.Clear();

        Assert.Equal("Unknown", ResourceTables.Row(node, wide: false, TestPods.Now)[1]);
    }

    [Fact]
    public void Row_UnschedulableNode_AddsSchedulingDisabled()
    {
        var node = Node();
        node.Spec.Unschedulable = true;

        Assert.Equal("Ready,SchedulingDisabled", ResourceTables.Row(node, wide: false, TestPods.Now)[1]);
    }

    [Fact]
    public void Row_NodeRoles_FromRoleLabelsSorted()
    {
        var node = Node();
        node.Metadata.Labels["node-role.kubernetes.io/worker"] = "";
        node.Metadata.Labels["node-role.kubernetes.io/control-plane"] = "";
        node.Metadata.Labels["kubernetes.io/role"] = "edge";
        node.Metadata.Labels["disk"] = "ssd";

        Assert.Equal("control-plane,edge,worker", ResourceTables.Row(node, wide: false, TestPods.Now)[2]);
    }

    [Fact]
    public void Row_NodeRoleGivenTwice_PrintedOnce()
    {
        var node = Node();
        node.Metadata.Labels["node-role.kubernetes.io/worker"] = "";
        node.Metadata.Labels["kubernetes.io/role"] = "worker";
        var emptyRole = Node();
        emptyRole.Metadata.Labels["kubernetes.io/role"] = "";

        Assert.Equal("worker", ResourceTables.Row(node, wide: false, TestPods.Now)[2]);
        Assert.Equal("<none>", ResourceTables.Row(emptyRole, wide: false, TestPods.Now)[2]);
    }

    [Fact]
    public void Row_NodeWide_AddressesAndSystemInfo()
    {
        Assert.Equal(["10.0.0.1", "<none>", "Ubuntu 24.04", "6.8.0", "docker://27.0.1"], ResourceTables.Row(Node(), wide: true, TestPods.Now)[^5..]);
    }

    [Fact]
    public void Row_NodeWideWithoutInfo_UnknownAndNone()
    {
        var node = new Node { Metadata = new ObjectMeta { Name = "bare" } };

        Assert.Equal(["bare", "Unknown", "<none>", "<unknown>", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"], ResourceTables.Row(node, wide: true, TestPods.Now));
    }

    [Fact]
    public void Age_UsesHumanDuration()
    {
        var ds = DaemonSet();
        ds.Metadata.CreationTimestamp = TestPods.Ago(TimeSpan.FromHours(5.5));

        Assert.Equal("5h30m", ResourceTables.Age(ds, TestPods.Now));
    }

    private static Event Event() =>
        DescribeFixtures.Event("BackOff", "  Back-off restarting failed container monitor\n", 3, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(40), "Warning");

    [Theory]
    [InlineData(false, "LAST SEEN,TYPE,REASON,OBJECT,MESSAGE")]
    [InlineData(true, "LAST SEEN,TYPE,REASON,OBJECT,SUBOBJECT,SOURCE,MESSAGE,FIRST SEEN,COUNT,NAME")]
    public void Header_Event_IsKubectlColumns(bool wide, string expected)
    {
        Assert.Equal(expected, string.Join(",", ResourceTables.Header(ResourceKind.Event, wide)));
    }

    [Fact]
    public void Row_Event_LastSeenTypeReasonObjectTrimmedMessage()
    {
        Assert.Equal(["40s", "Warning", "BackOff", "pod/ssd-monitor-x7k2p", "Back-off restarting failed container monitor"],
            ResourceTables.Row(Event(), wide: false, TestPods.Now));
    }

    [Fact]
    public void Row_EventWide_SubobjectSourceFirstSeenCountAndName()
    {
        var e = Event();
        e.InvolvedObject.FieldPath = "spec.containers{monitor}";

        Assert.Equal(
            ["40s", "Warning", "BackOff", "pod/ssd-monitor-x7k2p", "spec.containers{monitor}", "hostdaemons-agent, node-1",
                "Back-off restarting failed container monitor", "5m", "3", "ssd-monitor-x7k2p.backoff"],
            ResourceTables.Row(e, wide: true, TestPods.Now));
    }

    [Fact]
    public void Row_EventWithoutCountOrLastTimestamp_OnceAndFirstSeen()
    {
        var e = Event();
        e.Count = 0;
        e.LastTimestamp = null;

        var row = ResourceTables.Row(e, wide: true, TestPods.Now);

        Assert.Equal("5m", row[0]);
        Assert.Equal("1", row[8]);
    }
}
