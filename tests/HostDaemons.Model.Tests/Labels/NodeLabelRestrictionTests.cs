using HostDaemons.Model.Labels;

namespace HostDaemons.Model.Tests.Labels;

/// <summary>NodeRestriction's label rule (Kubernetes' getForbiddenLabels and IsKubeletLabel), with hostdaemons.io reserved alike.</summary>
public sealed class NodeLabelRestrictionTests
{
    public static TheoryData<string, bool> Keys => new()
    {
        // Not in a reserved namespace: the node's to set (--node-labels disk=ssd).
        { "disk", true },
        { "example.com/rack", true },
        { "kubernetes.io.example.com/x", true },
        { "notkubernetes.io/x", true },

        // Never: node-restriction.kubernetes.io and its subdomains.
        { "node-restriction.kubernetes.io/x", false },
        { "a.node-restriction.kubernetes.io/x", false },

        // kubernetes.io and k8s.io: only the kubelet's keys and namespaces.
        { "kubernetes.io/hostname", true },
        { "kubernetes.io/os", true },
        { "kubernetes.io/arch", true },
        { "beta.kubernetes.io/os", true },
        { "beta.kubernetes.io/arch", true },
        { "beta.kubernetes.io/instance-type", true },
        { "topology.kubernetes.io/zone", true },
        { "topology.kubernetes.io/region", true },
        { "failure-domain.beta.kubernetes.io/zone", true },
        { "node.kubernetes.io/instance-type", true },
        { "node.kubernetes.io/anything", true },
        { "x.node.kubernetes.io/anything", true },
        { "kubelet.kubernetes.io/anything", true },
        { "kubernetes.io/role", false },
        { "node-role.kubernetes.io/control-plane", false },
        { "beta.kubernetes.io/other", false },
        { "topology.kubernetes.io/rack", false },
        { "other.kubernetes.io/x", false },
        { "k8s.io/x", false },
        { "example.k8s.io/x", false },

        // hostdaemons.io: reserved as kubernetes.io is; node.hostdaemons.io is the node's.
        { "node.hostdaemons.io/pool", true },
        { "x.node.hostdaemons.io/pool", true },
        { "hostdaemons.io/x", false },
        { "trusted.hostdaemons.io/x", false },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void IsAllowed_Key_FollowsNodeRestriction(string key, bool allowed)
    {
        Assert.Equal(allowed, NodeLabelRestriction.IsAllowed(key));
    }

    [Fact]
    public void Forbidden_Keys_SortedAndDistinct()
    {
        Assert.Equal(["k8s.io/x", "node-restriction.kubernetes.io/b"],
            NodeLabelRestriction.Forbidden(["node-restriction.kubernetes.io/b", "disk", "k8s.io/x", "kubernetes.io/os", "k8s.io/x"]));
    }
}
