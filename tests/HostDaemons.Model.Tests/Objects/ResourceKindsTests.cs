using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Objects;

public sealed class ResourceKindsTests
{
    [Theory]
    [InlineData("ds", ResourceKind.DaemonSet)]
    [InlineData("daemonsets.apps", ResourceKind.DaemonSet)]
    [InlineData("daemonset.apps", ResourceKind.DaemonSet)]
    [InlineData("daemonset", ResourceKind.DaemonSet)]
    [InlineData("DaemonSet", ResourceKind.DaemonSet)]
    [InlineData("po", ResourceKind.Pod)]
    [InlineData("pods", ResourceKind.Pod)]
    [InlineData("no", ResourceKind.Node)]
    [InlineData("Nodes", ResourceKind.Node)]
    [InlineData("ns", ResourceKind.Namespace)]
    [InlineData("namespace", ResourceKind.Namespace)]
    [InlineData("namespaces", ResourceKind.Namespace)]
    [InlineData("Namespace", ResourceKind.Namespace)]
    [InlineData("cm", ResourceKind.ConfigMap)]
    [InlineData("sa", ResourceKind.ServiceAccount)]
    [InlineData("svc", ResourceKind.Service)]
    [InlineData("pc", ResourceKind.PriorityClass)]
    [InlineData("endpointslices.discovery.k8s.io", ResourceKind.EndpointSlice)]
    [InlineData("clusterrolebindings", ResourceKind.ClusterRoleBinding)]
    [InlineData("roles.rbac.authorization.k8s.io", ResourceKind.Role)]
    public void FindByNoun_KubectlNames_Resolve(string noun, ResourceKind expected)
    {
        Assert.Equal(expected, ResourceKinds.FindByNoun(noun)?.Kind);
    }

    [Theory]
    [InlineData("ing")]
    [InlineData("pods.apps")]
    [InlineData("")]
    public void FindByNoun_Unknown_Null(string noun)
    {
        Assert.Null(ResourceKinds.FindByNoun(noun));
    }

    [Fact]
    public void FindByKindName_IsCaseSensitive()
    {
        Assert.Same(ResourceKinds.DaemonSet, ResourceKinds.FindByKindName("DaemonSet"));
        Assert.Null(ResourceKinds.FindByKindName("daemonset"));
    }

    [Fact]
    public void QualifiedNames_IncludeGroupOnlyOutsideCore()
    {
        Assert.Equal("daemonset.apps", ResourceKinds.DaemonSet.QualifiedSingular);
        Assert.Equal("daemonsets.apps", ResourceKinds.DaemonSet.QualifiedPlural);
        Assert.Equal("apps", ResourceKinds.DaemonSet.Group);
        Assert.Equal("pod", ResourceKinds.Pod.QualifiedSingular);
        Assert.Equal("nodes", ResourceKinds.Node.QualifiedPlural);
        Assert.Equal("", ResourceKinds.Node.Group);
    }

    [Fact]
    public void Namespaced_NodesAreClusterScoped()
    {
        Assert.True(ResourceKinds.DaemonSet.Namespaced);
        Assert.True(ResourceKinds.Pod.Namespaced);
        Assert.False(ResourceKinds.Node.Namespaced);
    }

    [Fact]
    public void Namespace_IsCoreAndClusterScoped()
    {
        Assert.Equal(("v1", "namespaces", "namespace"), (ResourceKinds.Namespace.ApiVersion, ResourceKinds.Namespace.QualifiedPlural, ResourceKinds.Namespace.QualifiedSingular));
        Assert.False(ResourceKinds.Namespace.Namespaced);
        Assert.Same(ResourceKinds.Namespace, ResourceKinds.FindByKindName("Namespace"));
        Assert.Same(ResourceKinds.Namespace, ResourceKinds.Get(ResourceKind.Namespace));
    }

    [Fact]
    public void WrapThenUnwrap_Namespace_GivesTheSameObjectAndItsKind()
    {
        var ns = new Namespace { Metadata = new ObjectMeta { Name = "team-a" } };

        var envelope = ns.Wrap();

        Assert.Equal(ApiObject.ObjectOneofCase.Namespace, envelope.ObjectCase);
        Assert.Same(ns, envelope.Unwrap());
        Assert.Equal(ResourceKind.Namespace, ns.ResourceKind);
        Assert.Equal("team-a", ns.Key());
    }

    [Fact]
    public void Get_UnspecifiedKind_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ResourceKinds.Get(ResourceKind.Unspecified));
        Assert.Same(ResourceKinds.Pod, ResourceKinds.Get(ResourceKind.Pod));
    }

    [Fact]
    public void WrapThenUnwrap_GivesTheSameObject()
    {
        var ds = TestObjects.DaemonSet();
        var pod = new Pod { Metadata = new ObjectMeta { Name = "p" } };
        var node = new Node { Metadata = new ObjectMeta { Name = "n" } };

        Assert.Same(ds, ds.Wrap().Unwrap());
        Assert.Same(pod, pod.Wrap().Unwrap());
        Assert.Same(node, node.Wrap().Unwrap());
        Assert.Null(new ApiObject().Unwrap());
    }

    [Fact]
    public void Key_NamespacedAndClusterScoped()
    {
        var pod = new Pod { Metadata = new ObjectMeta { Name = "p", Namespace = "default" } };
        var node = new Node { Metadata = new ObjectMeta { Name = "n" } };

        Assert.Equal("default/p", pod.Key());
        Assert.Equal("n", node.Key());
    }

    [Fact]
    public void ControllerRef_OnlyTheControllingOwner()
    {
        var meta = new ObjectMeta
        {
            OwnerReferences =
            {
                new OwnerReference { Name = "a" },
                new OwnerReference { Name = "b", Controller = false },
                new OwnerReference { Name = "c", Controller = true },
            },
        };

        Assert.Equal("c", meta.ControllerRef()?.Name);
        Assert.Null(new ObjectMeta().ControllerRef());
    }

    [Fact]
    public void IsTerminating_FollowsDeletionTimestamp()
    {
        var pod = new Pod { Metadata = new ObjectMeta { Name = "p" } };
        Assert.False(pod.IsTerminating());

        pod.Metadata.DeletionTimestamp = new Google.Protobuf.WellKnownTypes.Timestamp();

        Assert.True(pod.IsTerminating());
    }

    [Fact]
    public void CloneObject_IsADeepCopy()
    {
        var ds = TestObjects.DaemonSet();

        var clone = (DaemonSet)ds.CloneObject();
        clone.Spec.Template.Spec.Containers[0].Image = "other";

        Assert.Equal("busybox", ds.Spec.Template.Spec.Containers[0].Image);
    }
}
