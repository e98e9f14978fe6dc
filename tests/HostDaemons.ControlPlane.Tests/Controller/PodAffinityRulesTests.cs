using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class PodAffinityRulesTests
{
    private const string Hostname = "kubernetes.io/hostname";

    private static readonly Node[] s_nodes =
    [
        Node("n1", Labels("kubernetes.io/hostname=n1", "zone=a")),
        Node("n2", Labels("kubernetes.io/hostname=n2", "zone=a")),
        Node("n3", Labels("kubernetes.io/hostname=n3", "zone=b")),
        Node("n4", Labels("kubernetes.io/hostname=n4")),
    ];

    /// <summary>The nodes the DaemonSet runs on, given the other pods.</summary>
    private static string Runs(DaemonSet ds, params Pod[] pods)
    {
        var placement = Placement.For(ds, new PlacementContext(s_nodes, () => pods, Epoch));
        return string.Join(",", s_nodes.Where(n => placement.Evaluate(n).ShouldRun).Select(n => n.Metadata.Name));
    }

    private static string Reason(DaemonSet ds, string node, params Pod[] pods) =>
        Placement.For(ds, new PlacementContext(s_nodes, () => pods, Epoch)).Evaluate(s_nodes.Single(n => n.Metadata.Name == node)).Reason;

    private static DaemonSet Follower() => DaemonSet("follower", uid: "uid-follower");

    [Theory]
    [InlineData(Hostname, "n2", "n2")]
    [InlineData("zone", "n2", "n1,n2")]
    [InlineData("zone", "n3", "n3")]
    [InlineData("zone", "n4", "")]
    public void Affinity_TopologyDomain_RunsWhereTheLabelledPodsDomainIs(string topologyKey, string podNode, string expected)
    {
        var ds = Follower().WithPodAffinity(PodTerm("app=web", topologyKey));

        Assert.Equal(expected, Runs(ds, Pod("web-1", podNode).WithLabels("app=web")));
    }

    [Fact]
    public void Affinity_NoMatchingPod_RunsNowhereAndSaysWhy()
    {
        var ds = Follower().WithPodAffinity(PodTerm("app=web", Hostname));

        Assert.Equal("", Runs(ds, Pod("db-1", "n1").WithLabels("app=db")));
        Assert.Equal("podAffinity app=web not matched: no such pod where kubernetes.io/hostname=n1", Reason(ds, "n1", Pod("x", "n2").WithLabels("app=web")));
    }

    [Fact]
    public void Affinity_NodeWithoutTopologyKey_Fails()
    {
        var ds = Follower().WithPodAffinity(PodTerm("app=web", "zone"));

        Assert.Equal("podAffinity app=web: node has no label zone", Reason(ds, "n4", Pod("web-1", "n4").WithLabels("app=web")));
    }

    [Fact]
    public void Affinity_OtherNamespace_OnlyWhenListed()
    {
        var pod = Pod("web-1", "n1", "kube-system").WithLabels("app=web");

        Assert.Equal("", Runs(Follower().WithPodAffinity(PodTerm("app=web", Hostname)), pod));
        Assert.Equal("n1", Runs(Follower().WithPodAffinity(PodTerm("app=web", Hostname, "kube-system")), pod));
    }

    [Fact]
    public void Affinity_NullSelector_MatchesNoPod()
    {
        Assert.Equal("", Runs(Follower().WithPodAffinity(PodTerm(null, Hostname)), Pod("web-1", "n1").WithLabels("app=web")));
    }

    [Fact]
    public void Affinity_EmptySelector_MatchesEveryPodInTheNamespace()
    {
        Assert.Equal("n3", Runs(Follower().WithPodAffinity(PodTerm("", Hostname)), Pod("any", "n3")));
    }

    [Fact]
    public void Affinity_MirrorPodOfStaticPod_Counts()
    {
        var mirror = Pod("etcd-n2", "n2", "kube-system").WithLabels("component=etcd");
        mirror.Metadata.Annotations["kubernetes.io/config.mirror"] = "abc";

        Assert.Equal("n2", Runs(Follower().WithPodAffinity(PodTerm("component=etcd", Hostname, "kube-system")), mirror));
    }

    [Fact]
    public void Affinity_FinishedPodIgnored_TerminatingPodCounts()
    {
        var ds = Follower().WithPodAffinity(PodTerm("app=web", Hostname));
        var finished = Pod("web-1", "n1").WithLabels("app=web");
        finished.Status.Phase = "Succeeded";
        var terminating = Pod("web-2", "n2").WithLabels("app=web");
        terminating.Metadata.DeletionTimestamp = Timestamp.FromDateTimeOffset(Epoch);

        Assert.Equal("n2", Runs(ds, finished, terminating));
    }

    [Fact]
    public void Affinity_OwnPods_NotCounted()
    {
        var ds = Follower().WithPodAffinity(PodTerm("app=follower,tier=x", Hostname));
        var own = Pod("follower-1", "n1", ownerUid: "uid-follower").WithLabels("app=follower", "tier=x");
        var other = Pod("other-1", "n3", ownerUid: "uid-other").WithLabels("app=follower", "tier=x");

        Assert.Equal("n3", Runs(ds, own, other));
    }

    [Fact]
    public void Affinity_FirstOfASeries_SelfMatchingTemplateRunsWhenNoPodMatchesAnywhere()
    {
        var ds = Follower().WithPodAffinity(PodTerm("app=follower", "zone"));

        // As the scheduler: allowed where the node has the topology key.
        Assert.Equal("n1,n2,n3", Runs(ds));
    }

    [Fact]
    public void Affinity_SeveralTerms_APodMustMatchEveryTerm()
    {
        var ds = Follower().WithPodAffinity(PodTerm("app=web", Hostname), PodTerm("tier=front", "zone"));
        var web = Pod("web-1", "n1").WithLabels("app=web");
        var front = Pod("front-1", "n1").WithLabels("tier=front");
        var both = Pod("both-1", "n3").WithLabels("app=web", "tier=front");

        Assert.Equal("", Runs(ds, web, front));
        Assert.Equal("n3", Runs(ds, web, front, both));
    }

    [Theory]
    [InlineData(Hostname, "n2", "n1,n3,n4")]
    [InlineData("zone", "n2", "n3,n4")]
    [InlineData("zone", "n4", "n1,n2,n3,n4")]
    public void AntiAffinity_TopologyDomain_AvoidsTheMatchingPodsDomain(string topologyKey, string podNode, string expected)
    {
        var ds = Follower().WithPodAntiAffinity(PodTerm("app=noisy", topologyKey));

        Assert.Equal(expected, Runs(ds, Pod("noisy-1", podNode).WithLabels("app=noisy")));
    }

    [Fact]
    public void AntiAffinity_NamesThePodThatBlocks()
    {
        var ds = Follower().WithPodAntiAffinity(PodTerm("app=noisy", Hostname));

        Assert.Equal("podAntiAffinity app=noisy matched by pod default/noisy-1 where kubernetes.io/hostname=n2",
            Reason(ds, "n2", Pod("noisy-1", "n2").WithLabels("app=noisy")));
    }

    [Fact]
    public void AntiAffinity_OwnLabels_DoNotBlockItself()
    {
        var ds = Follower().WithPodAntiAffinity(PodTerm("app=follower", Hostname));
        var own = Pod("follower-1", "n1", ownerUid: "uid-follower").WithLabels("app=follower");

        Assert.Equal("n1,n2,n3,n4", Runs(ds, own));
    }

    [Fact]
    public void AffinityAndAntiAffinity_BothMustHold()
    {
        var ds = Follower().WithPodAffinity(PodTerm("app=web", "zone")).WithPodAntiAffinity(PodTerm("app=noisy", Hostname));

        Assert.Equal("n2", Runs(ds, Pod("web-1", "n1").WithLabels("app=web"), Pod("noisy-1", "n1").WithLabels("app=noisy")));
    }

    [Fact]
    public void PreferredTermsOnly_ChangeNothing()
    {
        var ds = Follower();
        ds.Spec.Template.Spec.Affinity = new Affinity
        {
            PodAffinity = new PodAffinity { PreferredDuringSchedulingIgnoredDuringExecution = { new WeightedPodAffinityTerm { Weight = 10, PodAffinityTerm = PodTerm("app=web", Hostname) } } },
            PodAntiAffinity = new PodAntiAffinity { PreferredDuringSchedulingIgnoredDuringExecution = { new WeightedPodAffinityTerm { Weight = 10, PodAffinityTerm = PodTerm("app=x", Hostname) } } },
        };

        Assert.Equal("n1,n2,n3,n4", Runs(ds, Pod("x-1", "n1").WithLabels("app=x")));
    }
}
