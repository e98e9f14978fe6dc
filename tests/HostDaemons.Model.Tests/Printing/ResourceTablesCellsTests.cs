using HostDaemons.Model.Objects;
using HostDaemons.Model.Printing;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Printing;

/// <summary>The cells the server computes for each kind, typed as it types them.</summary>
public sealed class ResourceTablesCellsTests
{
    private static object[] Cells(IKubeObject value) => ResourceTables.Cells(value, TableFixtures.Now);

    [Fact]
    public void Cells_DaemonSet_CountsAreIntegersAndAnEmptyNodeSelectorIsNone()
    {
        Assert.Equal(
            ["ssd-monitor", 3L, 3L, 2L, 1L, 2L, "<none>", "5m", "main,side", "busybox:1.36,nginx", "app=ssd-monitor"],
            Cells(TableFixtures.DaemonSet()));
    }

    [Fact]
    public void Cells_DaemonSetWithNodeSelector_ListsItSortedByKey()
    {
        var ds = TableFixtures.DaemonSet();
        ds.Spec.Template.Spec.NodeSelector.Add("zone", "a");
        ds.Spec.Template.Spec.NodeSelector.Add("disk", "ssd");

        Assert.Equal("disk=ssd,zone=a", Cells(ds)[6]);
    }

    [Fact]
    public void Cells_Pod_ReadyStatusRestartsAndWideColumns()
    {
        Assert.Equal(["ssd-monitor-abcde", "1/2", "CrashLoopBackOff", "2 (3m ago)", "5m", "10.1.0.7", "node-1", "<none>", "<none>"], Cells(TableFixtures.Pod()));
    }

    [Fact]
    public void Cells_PodWithReadinessGates_CountsTheTrueOnes()
    {
        var pod = TableFixtures.Pod();
        pod.Spec.ReadinessGates.Add(new PodReadinessGate { ConditionType = "example.com/lb" });
        pod.Spec.ReadinessGates.Add(new PodReadinessGate { ConditionType = "example.com/dns" });
        pod.Status.Conditions.Add(new PodCondition { Type = "example.com/lb", Status = "True" });

        Assert.Equal("1/2", Cells(pod)[8]);
    }

    [Fact]
    public void Cells_PodWithoutIpsOrNode_IsNone()
    {
        var pod = TableFixtures.Pod();
        pod.Status.PodIp = "";
        pod.Status.PodIps.Clear();
        pod.Spec.NodeName = "";

        Assert.Equal(["<none>", "<none>"], Cells(pod)[5..7]);
    }

    [Fact]
    public void Cells_PodGatedFromScheduling_IsSchedulingGated()
    {
        var pod = TableFixtures.Pod();
        pod.Status = new PodStatus { Phase = "Pending", Conditions = { new PodCondition { Type = "PodScheduled", Status = "False", Reason = "SchedulingGated" } } };

        Assert.Equal("SchedulingGated", Cells(pod)[2]);
    }

    [Fact]
    public void Cells_DeletedPodOnALostNode_IsUnknown()
    {
        var pod = TableFixtures.Pod();
        pod.Metadata.DeletionTimestamp = TableFixtures.Ago(TimeSpan.FromSeconds(10));
        pod.Status.Reason = "NodeLost";

        Assert.Equal("Unknown", Cells(pod)[2]);
    }

    [Fact]
    public void Cells_Node_RolesSortedStatusAndWideColumns()
    {
        Assert.Equal(
            ["node-1", "Ready,SchedulingDisabled", "control-plane,edge,worker", "3d", "v1.32.0-hostdaemons", "10.0.0.1", "<none>", "Ubuntu 24.04", "6.8.0", "docker://27.0.1"],
            Cells(TableFixtures.Node()));
    }

    [Fact]
    public void Cells_NodeWithoutRolesOrConditions_IsNoneAndUnknown()
    {
        var node = new Node { Metadata = new ObjectMeta { Name = "bare", Labels = { ["kubernetes.io/role"] = "" } } };

        Assert.Equal(["bare", "Unknown", "<none>", "<unknown>", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"], Cells(node));
    }

    [Fact]
    public void Cells_Event_WideOrderWithTheCountAnInteger()
    {
        Assert.Equal(
            ["2m", "Normal", "SuccessfulCreate", "daemonset/ssd-monitor", "spec.containers{main}", "daemonset-controller, cp-1", "Created pod: ssd-monitor-abcde", "10m", 4L, "ssd-monitor.1"],
            Cells(TableFixtures.Event()));
    }

    [Fact]
    public void Cells_CountsOfSecretsConfigMapsAndServiceAccountsAreIntegers()
    {
        var all = TableFixtures.EveryKind().ToDictionary(o => o.ResourceKind);

        Assert.Equal(["creds", "Opaque", 1L, "5m"], ResourceTables.Cells(all[ResourceKind.Secret], TableFixtures.Now));
        Assert.Equal(["settings", 2L, "5m"], ResourceTables.Cells(all[ResourceKind.ConfigMap], TableFixtures.Now));
        Assert.Equal(["builder", 0L, "5m"], ResourceTables.Cells(all[ResourceKind.ServiceAccount], TableFixtures.Now));
    }

    [Fact]
    public void Cells_PriorityClass_ValueIntegerAndGlobalDefaultBoolean()
    {
        var pc = TableFixtures.EveryKind().OfType<PriorityClass>().Single();

        Assert.Equal(["high", 1000L, true, "5m", "PreemptLowerPriority"], Cells(pc));
        Assert.Equal(["high", "1000", "true", "5m", "PreemptLowerPriority"], ResourceTables.Row(pc, wide: false, TableFixtures.Now));
    }

    [Fact]
    public void Cells_ControllerRevision_ControllerAsKindGroupAndRevisionInteger()
    {
        var revision = new ControllerRevision { Metadata = TableFixtures.Meta("ssd-monitor-7d9f"), Revision = 3 };
        revision.Metadata.OwnerReferences.Add(new OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = "ssd-monitor", Controller = true });

        Assert.Equal(["ssd-monitor-7d9f", "daemonset.apps/ssd-monitor", 3L, "5m"], Cells(revision));
    }

    [Fact]
    public void Cells_RoleAndClusterRole_CreatedAtInUtc()
    {
        Assert.Equal(["reader", "2026-01-02T02:59:05Z"], Cells(new Role { Metadata = TableFixtures.Meta("reader") }));
        Assert.Equal(["view", "0001-01-01T00:00:00Z"], Cells(new ClusterRole { Metadata = new ObjectMeta { Name = "view" } }));
    }

    [Fact]
    public void Cells_RoleBinding_RoleAndSubjectsBySort()
    {
        var binding = new RoleBinding
        {
            Metadata = TableFixtures.Meta("read"),
            RoleRef = new RoleRef { Kind = "ClusterRole", Name = "view" },
            Subjects =
            {
                new Subject { Kind = "User", Name = "alice" },
                new Subject { Kind = "User", Name = "bob" },
                new Subject { Kind = "Group", Name = "ops" },
                new Subject { Kind = "ServiceAccount", Namespace = "tools", Name = "ci" },
            },
        };

        Assert.Equal(["read", "ClusterRole/view", "5m", "alice, bob", "ops", "tools/ci"], Cells(binding));
    }

    [Fact]
    public void Cells_LoadBalancerService_IngressSortedUniqueThenExternalIps()
    {
        var service = new Service
        {
            Metadata = TableFixtures.Meta("web"),
            Spec = new ServiceSpec { Type = "LoadBalancer", ClusterIps = { "10.96.0.10" }, ExternalIps = { "192.0.2.9" }, Ports = { new ServicePort { Port = 443, NodePort = 30443, Protocol = "TCP" } }, Selector = { ["app"] = "web" } },
            Status = new ServiceStatus
            {
                LoadBalancer = new LoadBalancerStatus
                {
                    Ingress = { new LoadBalancerIngress { Ip = "203.0.113.7" }, new LoadBalancerIngress { Hostname = "lb.example" }, new LoadBalancerIngress { Ip = "203.0.113.7" } },
                },
            },
        };

        Assert.Equal(["web", "LoadBalancer", "10.96.0.10", "203.0.113.7,lb.example,192.0.2.9", "443:30443/TCP", "5m", "app=web"], Cells(service));
    }

    [Fact]
    public void Cells_EndpointSlice_FirstThreeAndHowManyMore()
    {
        var slice = new EndpointSlice { Metadata = TableFixtures.Meta("web-x1"), AddressType = "IPv4" };
        slice.Ports.Add(new EndpointPort { Port = 80 });
        slice.Ports.Add(new EndpointPort { Name = "metrics" });
        slice.Ports.Add(new EndpointPort());
        slice.Endpoints.Add(new Endpoint { Addresses = { "10.1.0.1", "10.1.0.2" } });
        slice.Endpoints.Add(new Endpoint { Addresses = { "10.1.0.3", "10.1.0.4", "10.1.0.5" } });

        Assert.Equal(["web-x1", "IPv4", "80,metrics,*", "10.1.0.1,10.1.0.2,10.1.0.3 + 2 more...", "5m"], Cells(slice));
        Assert.Equal("<unset>", Cells(new EndpointSlice { Metadata = TableFixtures.Meta("empty") })[2]);
    }

    [Fact]
    public void Row_NotWide_DropsThePriorityOneCells()
    {
        Assert.Equal(["ssd-monitor-abcde", "1/2", "CrashLoopBackOff", "2 (3m ago)", "5m"], ResourceTables.Row(TableFixtures.Pod(), wide: false, TableFixtures.Now));
        Assert.Equal(
            ["2m", "Normal", "SuccessfulCreate", "daemonset/ssd-monitor", "Created pod: ssd-monitor-abcde"],
            ResourceTables.Row(TableFixtures.Event(), wide: false, TableFixtures.Now));
    }
}
