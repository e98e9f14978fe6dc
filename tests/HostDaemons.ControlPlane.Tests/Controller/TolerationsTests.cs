using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.Controller.PlacementTests;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class TolerationsTests
{
    [Theory]
    [InlineData("dedicated", "Equal", "db", "NoSchedule", true)]
    [InlineData("dedicated", "", "db", "NoSchedule", true)]
    [InlineData("dedicated", "Equal", "web", "NoSchedule", false)]
    [InlineData("dedicated", "Exists", "", "NoSchedule", true)]
    [InlineData("dedicated", "Exists", "anything", "NoSchedule", true)]
    [InlineData("other", "Exists", "", "NoSchedule", false)]
    [InlineData("dedicated", "Exists", "", "", true)]
    [InlineData("dedicated", "Equal", "db", "", true)]
    [InlineData("dedicated", "Exists", "", "NoExecute", false)]
    [InlineData("", "Exists", "", "", true)]
    [InlineData("", "Exists", "", "NoSchedule", true)]
    [InlineData("", "Exists", "", "NoExecute", false)]
    [InlineData("", "Equal", "", "", false)]
    [InlineData("dedicated", "Lt", "db", "NoSchedule", false)]
    public void Tolerates_Matrix_MatchesKubernetes(string key, string @operator, string value, string effect, bool expected)
    {
        Assert.Equal(expected, Tolerations.Tolerates(Toleration(key, @operator, value, effect), Taint("dedicated", "NoSchedule", "db")));
    }

    [Theory]
    [InlineData("NoSchedule", true, false, true)]
    [InlineData("NoExecute", true, false, false)]
    [InlineData("PreferNoSchedule", true, true, true)]
    [InlineData("NoSchedule", false, true, true)]
    [InlineData("NoExecute", false, true, true)]
    public void Check_EffectAndToleration_DecidesRunAndContinue(string effect, bool untolerated, bool run, bool @continue)
    {
        IReadOnlyList<Toleration> tolerations = untolerated ? [] : [Toleration("k", "Exists")];

        var decision = Tolerations.Check(tolerations, [Taint("k", effect, "")], Epoch);

        Assert.Equal((run, @continue), (decision.ShouldRun, decision.ShouldContinueRunning));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(59, false)]
    [InlineData(60, true)]
    [InlineData(3600, true)]
    public void Check_TolerationSeconds_EvictsOnceTheyHavePassedSinceTimeAdded(int elapsed, bool evicted)
    {
        var toleration = WithSeconds(Toleration("dedicated", "Equal", "x", "NoExecute"), 60);

        var decision = Tolerations.Check([toleration], [Added(Taint("dedicated", "NoExecute", "x"), Epoch)], Epoch.AddSeconds(elapsed));

        Assert.Equal(evicted, decision.EvictsByTaint);
        Assert.Equal(evicted ? null : Epoch.AddSeconds(60), decision.RecheckAt);
    }

    [Fact]
    public void Check_TolerationSecondsOnNoScheduleTaint_Ignored()
    {
        var toleration = WithSeconds(Toleration("dedicated", "Exists"), 1);

        var decision = Tolerations.Check([toleration], [Added(Taint("dedicated", "NoSchedule"), Epoch)], Epoch.AddHours(1));

        Assert.Equal(PlacementDecision.Yes, decision);
    }

    [Fact]
    public void Check_FirstMatchingTolerationDecides_AsTheTaintManager()
    {
        // The first toleration matching the taint is the one used: a later, unlimited one does not extend it.
        Toleration[] tolerations = [WithSeconds(Toleration("dedicated", "Exists", "", "NoExecute"), 5), Toleration("", "Exists")];

        var decision = Tolerations.Check(tolerations, [Added(Taint("dedicated", "NoExecute"), Epoch)], Epoch.AddSeconds(6));

        Assert.True(decision.EvictsByTaint);
    }

    [Fact]
    public void Check_SeveralLimitedTolerations_RecheckAtTheEarliest()
    {
        Toleration[] tolerations = [WithSeconds(Toleration("a", "Exists", "", "NoExecute"), 50), WithSeconds(Toleration("b", "Exists", "", "NoExecute"), 20)];

        var decision = Tolerations.Check(tolerations, [Added(Taint("a", "NoExecute"), Epoch), Added(Taint("b", "NoExecute"), Epoch.AddSeconds(10))], Epoch);

        Assert.Equal(Epoch.AddSeconds(30), decision.RecheckAt);
    }

    [Fact]
    public void Check_NegativeTolerationSeconds_EvictsAtOnce()
    {
        var decision = Tolerations.Check([WithSeconds(Toleration("a", "Exists", "", "NoExecute"), -5)], [Added(Taint("a", "NoExecute"), Epoch)], Epoch);

        Assert.True(decision.EvictsByTaint);
    }

    [Fact]
    public void DefaultTolerations_AddTo_AddsEachOnceAndReplacesSameTolerationAsKubernetes()
    {
        var spec = DaemonSet().Spec.Template.Spec;
        spec.Tolerations.Add(WithSeconds(Toleration("node.kubernetes.io/not-ready", "Exists", "", "NoExecute"), 60));
        spec.Tolerations.Add(Toleration("mine", "Exists"));

        DefaultTolerations.AddTo(spec);
        DefaultTolerations.AddTo(spec);

        Assert.Equal(7, spec.Tolerations.Count);
        Assert.False(spec.Tolerations.Single(t => t.Key == "node.kubernetes.io/not-ready").HasTolerationSeconds);
        Assert.Equal("node.kubernetes.io/not-ready", spec.Tolerations[0].Key);
        Assert.DoesNotContain(spec.Tolerations, t => t.Key == "node.kubernetes.io/network-unavailable");
    }

    [Fact]
    public void DefaultTolerations_HostNetwork_AddsNetworkUnavailable()
    {
        var spec = DaemonSet().Spec.Template.Spec;
        spec.HostNetwork = true;

        DefaultTolerations.AddTo(spec);

        Assert.Equal(7, spec.Tolerations.Count);
        Assert.Contains(spec.Tolerations, t => t is { Key: "node.kubernetes.io/network-unavailable", Effect: "NoSchedule", Operator: "Exists" });
    }

    [Fact]
    public void DefaultTolerations_Effective_OwnFirstThenDefaults()
    {
        var spec = DaemonSet().WithTolerations(Toleration("mine", "Exists")).Spec.Template.Spec;

        var effective = DefaultTolerations.Effective(spec);

        Assert.Equal("mine", effective[0].Key);
        Assert.Equal(7, effective.Count);
        Assert.Single(spec.Tolerations);
    }
}
