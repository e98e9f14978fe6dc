using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class NodeAffinityRulesTests
{
    private static (PlacementRule Rule, string Reason)? Check(DaemonSet ds, Node node) => NodeAffinityRules.Check(ds.Spec.Template.Spec, node);

    [Theory]
    [InlineData("In", "zone=a", new[] { "a", "b" }, true)]
    [InlineData("In", "zone=c", new[] { "a", "b" }, false)]
    [InlineData("In", "", new[] { "a" }, false)]
    [InlineData("NotIn", "zone=c", new[] { "a", "b" }, true)]
    [InlineData("NotIn", "zone=a", new[] { "a", "b" }, false)]
    [InlineData("NotIn", "", new[] { "a" }, true)]
    [InlineData("Exists", "zone=anything", new string[0], true)]
    [InlineData("Exists", "", new string[0], false)]
    [InlineData("Exists", "zone=", new string[0], true)]
    [InlineData("DoesNotExist", "", new string[0], true)]
    [InlineData("DoesNotExist", "zone=a", new string[0], false)]
    [InlineData("Gt", "zone=5", new[] { "4" }, true)]
    [InlineData("Gt", "zone=4", new[] { "4" }, false)]
    [InlineData("Gt", "zone=3", new[] { "4" }, false)]
    [InlineData("Gt", "zone=-1", new[] { "-2" }, true)]
    [InlineData("Gt", "zone=x", new[] { "4" }, false)]
    [InlineData("Gt", "", new[] { "4" }, false)]
    [InlineData("Gt", "zone=5", new[] { "four" }, false)]
    [InlineData("Lt", "zone=3", new[] { "4" }, true)]
    [InlineData("Lt", "zone=4", new[] { "4" }, false)]
    [InlineData("Lt", "zone=10", new[] { "4" }, false)]
    [InlineData("Lt", "", new[] { "4" }, false)]
    [InlineData("Lt", "zone=+3", new[] { "4" }, true)]
    [InlineData("Bogus", "zone=a", new[] { "a" }, false)]
    public void Check_Operator_MatchesKubernetes(string @operator, string nodeLabel, string[] values, bool fits)
    {
        var ds = DaemonSet().WithNodeAffinity(Term(Expression("zone", @operator, values)));
        var node = Node("n1", nodeLabel.Length == 0 ? null : Labels(nodeLabel));

        Assert.Equal(fits, Check(ds, node) is null);
    }

    [Theory]
    [InlineData("In", "n1", true)]
    [InlineData("In", "n2", false)]
    [InlineData("NotIn", "n1", false)]
    [InlineData("NotIn", "n2", true)]
    public void Check_MatchFieldsMetadataName_MatchesTheNodeName(string @operator, string value, bool fits)
    {
        var ds = DaemonSet().WithNodeAffinity(FieldTerm(Expression("metadata.name", @operator, value)));

        Assert.Equal(fits, Check(ds, Node("n1")) is null);
    }

    [Fact]
    public void Check_MatchFieldsOtherKey_NeverMatches()
    {
        var ds = DaemonSet().WithNodeAffinity(FieldTerm(Expression("metadata.uid", "In", "uid-n1")));

        Assert.NotNull(Check(ds, Node("n1")));
    }

    [Fact]
    public void Check_TermsAreOred_AnyTermFits()
    {
        var ds = DaemonSet().WithNodeAffinity(Term(Expression("zone", "In", "a")), Term(Expression("disk", "In", "ssd")));

        Assert.Null(Check(ds, Node("n1", Labels("disk=ssd"))));
        Assert.Null(Check(ds, Node("n1", Labels("zone=a"))));
        var none = Check(ds, Node("n1", Labels("zone=b")));
        Assert.Equal("nodeAffinity: none of 2 terms matched (term 0: zone in [a]; term 1: disk in [ssd])", none?.Reason);
    }

    [Fact]
    public void Check_ExpressionsAndFieldsAreAnded_EveryOneMustHold()
    {
        var term = Term(Expression("zone", "In", "a"), Expression("cores", "Gt", "4"));
        term.MatchFields.Add(Expression("metadata.name", "NotIn", "n9"));
        var ds = DaemonSet().WithNodeAffinity(term);

        Assert.Null(Check(ds, Node("n1", Labels("zone=a", "cores=8"))));
        Assert.Equal("nodeAffinity cores gt [4] not matched", Check(ds, Node("n1", Labels("zone=a", "cores=2")))?.Reason);
        Assert.Equal("nodeAffinity metadata.name notin [n9] not matched", Check(ds, Node("n9", Labels("zone=a", "cores=8")))?.Reason);
    }

    [Fact]
    public void Check_EmptyTerm_MatchesNothing()
    {
        var ds = DaemonSet().WithNodeAffinity(new NodeSelectorTerm());

        Assert.Equal("nodeAffinity empty term not matched", Check(ds, Node("n1", Labels("zone=a")))?.Reason);
    }

    [Fact]
    public void Check_NodeSelectorAndAffinity_BothRequired()
    {
        var ds = DaemonSet(nodeSelector: Labels("disk=ssd")).WithNodeAffinity(Term(Expression("zone", "In", "a")));

        Assert.Equal(PlacementRule.NodeSelector, Check(ds, Node("n1", Labels("zone=a")))?.Rule);
        Assert.Equal(PlacementRule.NodeAffinity, Check(ds, Node("n1", Labels("disk=ssd")))?.Rule);
        Assert.Null(Check(ds, Node("n1", Labels("disk=ssd", "zone=a"))));
    }

    [Fact]
    public void Check_Seed004InTwoZonesWithPreferredTerm_PreferredChangesNothing()
    {
        var ds = DaemonSet().WithNodeAffinity(Term(Expression("kubernetes.io/e2e-az-name", "In", "e2e-az1", "e2e-az2")));
        ds.Spec.Template.Spec.Affinity.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution.Add(
            new PreferredSchedulingTerm { Weight = 1, Preference = Term(Expression("another-node-label-key", "In", "another-node-label-value")) });

        Assert.Null(Check(ds, Node("n1", Labels("kubernetes.io/e2e-az-name=e2e-az1"))));
        Assert.Null(Check(ds, Node("n2", Labels("kubernetes.io/e2e-az-name=e2e-az2", "another-node-label-key=another-node-label-value"))));
        Assert.Equal("nodeAffinity kubernetes.io/e2e-az-name in [e2e-az1, e2e-az2] not matched",
            Check(ds, Node("n3", Labels("kubernetes.io/e2e-az-name=e2e-az3", "another-node-label-key=another-node-label-value")))?.Reason);
    }

    [Fact]
    public void Check_OnlyPreferredTerms_FitsEveryNode()
    {
        var ds = DaemonSet();
        ds.Spec.Template.Spec.Affinity = new Affinity
        {
            NodeAffinity = new NodeAffinity { PreferredDuringSchedulingIgnoredDuringExecution = { new PreferredSchedulingTerm { Weight = 100, Preference = Term(Expression("zone", "In", "a")) } } },
        };

        Assert.Null(Check(ds, Node("n1", Labels("zone=b"))));
    }
}
