using HostDaemons.Model.Objects;
using HostDaemons.Model.Printing;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Printing;

/// <summary>Each kind's columns as kube-apiserver's printers define them: name, type and priority (1 = <c>-o wide</c> only).</summary>
public sealed class ResourceTablesColumnsTests
{
    [Theory]
    [InlineData(ResourceKind.DaemonSet,
        "Name:string:0,Desired:integer:0,Current:integer:0,Ready:integer:0,Up-to-date:integer:0,Available:integer:0,Node Selector:string:0,Age:string:0,Containers:string:1,Images:string:1,Selector:string:1")]
    [InlineData(ResourceKind.Pod,
        "Name:string:0,Ready:string:0,Status:string:0,Restarts:string:0,Age:string:0,IP:string:1,Node:string:1,Nominated Node:string:1,Readiness Gates:string:1")]
    [InlineData(ResourceKind.Node,
        "Name:string:0,Status:string:0,Roles:string:0,Age:string:0,Version:string:0,Internal-IP:string:1,External-IP:string:1,OS-Image:string:1,Kernel-Version:string:1,Container-Runtime:string:1")]
    [InlineData(ResourceKind.Event,
        "Last Seen:string:0,Type:string:0,Reason:string:0,Object:string:0,Subobject:string:1,Source:string:1,Message:string:0,First Seen:string:1,Count:string:1,Name:string:1")]
    [InlineData(ResourceKind.Namespace, "Name:string:0,Status:string:0,Age:string:0")]
    [InlineData(ResourceKind.Secret, "Name:string:0,Type:string:0,Data:string:0,Age:string:0")]
    [InlineData(ResourceKind.ConfigMap, "Name:string:0,Data:string:0,Age:string:0")]
    [InlineData(ResourceKind.ServiceAccount, "Name:string:0,Secrets:string:0,Age:string:0")]
    [InlineData(ResourceKind.Service, "Name:string:0,Type:string:0,Cluster-IP:string:0,External-IP:string:0,Port(s):string:0,Age:string:0,Selector:string:1")]
    [InlineData(ResourceKind.EndpointSlice, "Name:string:0,AddressType:string:0,Ports:string:0,Endpoints:string:0,Age:string:0")]
    [InlineData(ResourceKind.ControllerRevision, "Name:string:0,Controller:string:0,Revision:string:0,Age:string:0")]
    [InlineData(ResourceKind.Role, "Name:string:0,Created At:date:0")]
    [InlineData(ResourceKind.ClusterRole, "Name:string:0,Created At:date:0")]
    [InlineData(ResourceKind.RoleBinding, "Name:string:0,Role:string:0,Age:string:0,Users:string:1,Groups:string:1,ServiceAccounts:string:1")]
    [InlineData(ResourceKind.ClusterRoleBinding, "Name:string:0,Role:string:0,Age:string:0,Users:string:1,Groups:string:1,ServiceAccounts:string:1")]
    [InlineData(ResourceKind.PriorityClass, "Name:string:0,Value:integer:0,Global-Default:boolean:0,Age:string:0,PreemptionPolicy:string:0")]
    public void Columns_EveryKind_AreTheServerPrintersColumns(ResourceKind kind, string expected) =>
        Assert.Equal(expected, string.Join(",", ResourceTables.Columns(kind).Select(c => $"{c.Name}:{c.Type}:{c.Priority}")));

    [Fact]
    public void Columns_EveryStoredKind_HasANameColumnFormattedAsName()
    {
        foreach (var kind in ResourceKinds.All)
        {
            var columns = ResourceTables.Columns(kind.Kind);
            Assert.Single(columns, c => c.Format == "name");
            Assert.All(columns, c => Assert.NotEmpty(c.Description));
        }
    }

    [Fact]
    public void Cells_OneObjectOfEveryKind_HasOneCellPerColumnOfTheServersTypes()
    {
        var kinds = new HashSet<ResourceKind>();
        foreach (var value in TableFixtures.EveryKind())
        {
            var columns = ResourceTables.Columns(value.ResourceKind);
            var cells = ResourceTables.Cells(value, TableFixtures.Now);
            Assert.Equal(columns.Count, cells.Length);
            Assert.All(cells, cell => Assert.True(cell is string or long or bool, $"{value.ResourceKind}: {cell.GetType()}"));
            Assert.All(cells.Zip(columns), pair => Assert.True(pair.Second.Type != "integer" || pair.First is long, $"{value.ResourceKind} {pair.Second.Name}"));
            kinds.Add(value.ResourceKind);
        }

        Assert.Equal(ResourceKinds.All.Select(k => k.Kind).ToHashSet(), kinds);
    }

    [Theory]
    [InlineData(ResourceKind.DaemonSet, false, "NAME,DESIRED,CURRENT,READY,UP-TO-DATE,AVAILABLE,NODE SELECTOR,AGE")]
    [InlineData(ResourceKind.Pod, true, "NAME,READY,STATUS,RESTARTS,AGE,IP,NODE,NOMINATED NODE,READINESS GATES")]
    [InlineData(ResourceKind.Event, false, "LAST SEEN,TYPE,REASON,OBJECT,MESSAGE")]
    [InlineData(ResourceKind.Event, true, "LAST SEEN,TYPE,REASON,OBJECT,SUBOBJECT,SOURCE,MESSAGE,FIRST SEEN,COUNT,NAME")]
    [InlineData(ResourceKind.ClusterRole, true, "NAME,CREATED AT")]
    public void Header_UpperCasesTheColumnsKubectlShows(ResourceKind kind, bool wide, string expected) =>
        Assert.Equal(expected, string.Join(",", ResourceTables.Header(kind, wide)));
}
