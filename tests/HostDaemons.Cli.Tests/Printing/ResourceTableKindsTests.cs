using Google.Protobuf;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Printing;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Cli.Tests.Printing;

/// <summary>kubectl's columns and cells for ConfigMaps, ServiceAccounts, RBAC objects, Services, EndpointSlices and PriorityClasses.</summary>
public sealed class ResourceTableKindsTests
{
    private static ObjectMeta Meta(string name, string ns = "default") =>
        new() { Name = name, Namespace = ns, CreationTimestamp = TestPods.Ago(TimeSpan.FromMinutes(5)) };

    private static string[] Row(Google.Protobuf.IMessage value, bool wide = false) => ResourceTables.Row((Model.Objects.IKubeObject)value, wide, TestPods.Now);

    [Theory]
    [InlineData(ResourceKind.ConfigMap, false, "NAME,DATA,AGE")]
    [InlineData(ResourceKind.ServiceAccount, false, "NAME,SECRETS,AGE")]
    [InlineData(ResourceKind.Role, false, "NAME,CREATED AT")]
    [InlineData(ResourceKind.ClusterRole, true, "NAME,CREATED AT")]
    [InlineData(ResourceKind.RoleBinding, false, "NAME,ROLE,AGE")]
    [InlineData(ResourceKind.ClusterRoleBinding, true, "NAME,ROLE,AGE,USERS,GROUPS,SERVICEACCOUNTS")]
    [InlineData(ResourceKind.Service, false, "NAME,TYPE,CLUSTER-IP,EXTERNAL-IP,PORT(S),AGE")]
    [InlineData(ResourceKind.Service, true, "NAME,TYPE,CLUSTER-IP,EXTERNAL-IP,PORT(S),AGE,SELECTOR")]
    [InlineData(ResourceKind.EndpointSlice, false, "NAME,ADDRESSTYPE,PORTS,ENDPOINTS,AGE")]
    [InlineData(ResourceKind.PriorityClass, false, "NAME,VALUE,GLOBAL-DEFAULT,AGE,PREEMPTIONPOLICY")]
    public void Header_NewKinds_KubectlsColumns(ResourceKind kind, bool wide, string columns)
    {
        Assert.Equal(columns.Split(','), ResourceTables.Header(kind, wide));
    }

    [Fact]
    public void Row_ConfigMap_CountsDataAndBinaryData()
    {
        var cm = new ConfigMap { Metadata = Meta("cfg"), Data = { ["a"] = "1", ["b"] = "2" }, BinaryData = { ["c"] = ByteString.CopyFromUtf8("x") } };

        Assert.Equal(["cfg", "3", "5m"], Row(cm));
    }

    [Fact]
    public void Row_ServiceAccount_CountsSecrets()
    {
        var sa = new ServiceAccount { Metadata = Meta("fluentd"), Secrets = { new EventObjectReference { Name = "t" } } };

        Assert.Equal(["fluentd", "1", "5m"], Row(sa));
    }

    [Fact]
    public void Row_Roles_CreatedAtInUtc()
    {
        Assert.Equal(["reader", "2026-01-02T02:59:05Z"], Row(new ClusterRole { Metadata = Meta("reader", "") }));
    }

    [Fact]
    public void Row_BindingWide_SubjectsByKind()
    {
        var binding = new ClusterRoleBinding
        {
            Metadata = Meta("read", ""),
            RoleRef = new RoleRef { Kind = "ClusterRole", Name = "view" },
            Subjects =
            {
                new Subject { Kind = "User", Name = "alice" },
                new Subject { Kind = "User", Name = "bob" },
                new Subject { Kind = "Group", Name = "ops" },
                new Subject { Kind = "ServiceAccount", Name = "fluentd", Namespace = "kube-system" },
            },
        };

        Assert.Equal(["read", "ClusterRole/view", "5m", "alice, bob", "ops", "kube-system/fluentd"], Row(binding, wide: true));
        Assert.Equal(["read", "ClusterRole/view", "5m"], Row(binding));
    }

    [Theory]
    [InlineData("ClusterIP", "", "", "web,ClusterIP,<none>,<none>,80/TCP,5m,app=web")]
    [InlineData("ClusterIP", "None", "", "web,ClusterIP,None,<none>,80/TCP,5m,app=web")]
    [InlineData("NodePort", "10.96.0.9", "203.0.113.5", "web,NodePort,10.96.0.9,203.0.113.5,80:30080/TCP,5m,app=web")]
    [InlineData("LoadBalancer", "", "", "web,LoadBalancer,<none>,<pending>,80:30080/TCP,5m,app=web")]
    public void Row_ServiceWide_KubectlsCells(string type, string clusterIP, string externalIP, string expected)
    {
        var service = new Service
        {
            Metadata = Meta("web"),
            Spec = new ServiceSpec { Type = type, ClusterIp = clusterIP, Selector = { ["app"] = "web" } },
        };
        if (clusterIP.Length > 0)
        {
            service.Spec.ClusterIps.Add(clusterIP);
        }

        if (externalIP.Length > 0)
        {
            service.Spec.ExternalIps.Add(externalIP);
        }

        service.Spec.Ports.Add(new ServicePort { Port = 80, Protocol = "TCP", NodePort = type == "ClusterIP" ? 0 : 30080 });

        Assert.Equal(expected.Split(','), Row(service, wide: true));
    }

    [Fact]
    public void Row_ExternalNameServiceWithoutPorts_NameAsExternalIPAndNoPorts()
    {
        var service = new Service { Metadata = Meta("db"), Spec = new ServiceSpec { Type = "ExternalName", ExternalName = "db.example.com" } };

        Assert.Equal(["db", "ExternalName", "<none>", "db.example.com", "<none>", "5m"], Row(service));
    }

    [Fact]
    public void Row_EndpointSlice_FirstThreeAndHowManyMore()
    {
        var slice = new EndpointSlice { Metadata = Meta("web-x1"), AddressType = "IPv4", Ports = { new EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" } } };
        for (var i = 1; i <= 5; i++)
        {
            slice.Endpoints.Add(new Endpoint { Addresses = { $"10.0.0.{i}" } });
        }

        Assert.Equal(["web-x1", "IPv4", "8080", "10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...", "5m"], Row(slice));
        Assert.Equal(["empty", "IPv4", "<unset>", "<unset>", "5m"], Row(new EndpointSlice { Metadata = Meta("empty"), AddressType = "IPv4" }));
    }

    [Fact]
    public void Print_PriorityClasses_AlignedAsKubectlGetPc()
    {
        using var output = new StringWriter { NewLine = "\n" };
        PriorityClass Class(string name, int value, bool globalDefault) =>
            new() { Metadata = Meta(name, ""), Value = value, GlobalDefault = globalDefault, PreemptionPolicy = "PreemptLowerPriority" };

        new ResourcePrinter(OutputFormat.Table, withNamespace: false, showLabels: false, new FakeTimeProvider(TestPods.Now))
            .Print(ResourceKind.PriorityClass, [Class("high", 1000, true), Class("system-node-critical", 2000001000, false)], single: false, output);

        Assert.Equal(
            "NAME                   VALUE        GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY\n" +
            "high                   1000         true             5m    PreemptLowerPriority\n" +
            "system-node-critical   2000001000   false            5m    PreemptLowerPriority\n",
            output.ToString());
    }
}
