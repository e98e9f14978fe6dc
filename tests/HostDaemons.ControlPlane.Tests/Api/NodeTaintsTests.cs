using Grpc.Core;
using HostDaemons.ControlPlane.Api;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Api;

public sealed class NodeTaintsTests
{
    private static string Taints(Node node) => string.Join(",", node.Spec.Taints.Select(NodeTaints.ToString));

    private static RpcException Fails(Node node, Taint[] add, Taint[] remove, bool overwrite = false) =>
        Assert.Throws<RpcException>(() => NodeTaints.Apply(node, add, remove, overwrite, Epoch));

    [Theory]
    [InlineData("", "a=1:NoSchedule", "", false, "tainted", "a=1:NoSchedule")]
    [InlineData("b:NoExecute", "a=1:NoSchedule", "", false, "tainted", "a=1:NoSchedule,b:NoExecute")]
    [InlineData("a=1:NoSchedule", "a=1:NoExecute", "", false, "tainted", "a=1:NoExecute,a=1:NoSchedule")]
    [InlineData("a=1:NoSchedule", "", "a:NoSchedule", false, "untainted", "")]
    [InlineData("a=1:NoSchedule,a=2:NoExecute,b:NoSchedule", "", "a", false, "untainted", "b:NoSchedule")]
    [InlineData("a=1:NoSchedule", "a=2:NoSchedule", "", true, "modified", "a=2:NoSchedule")]
    [InlineData("a=1:NoSchedule", "b:NoSchedule", "a:NoSchedule", false, "modified", "b:NoSchedule")]
    public void Apply_Changes_AsKubectlReorganizesThem(string existing, string add, string remove, bool overwrite, string operation, string expected)
    {
        var node = Node("n1", null, [.. Parse(existing)]);

        var result = NodeTaints.Apply(node, [.. Parse(add)], [.. Parse(remove)], overwrite, Epoch);

        Assert.Equal(operation, result);
        Assert.Equal(expected, Taints(node));
    }

    [Fact]
    public void Apply_SameKeyAndEffectWithoutOverwrite_FailsAsKubectl()
    {
        var ex = Fails(Node("n1", null, Taint("dedicated", "NoSchedule", "a")), [Taint("dedicated", "NoSchedule", "b")], []);

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("node n1 already has dedicated taint(s) with same effect(s) and --overwrite is false", ex.Status.Detail);
    }

    [Theory]
    [InlineData("dedicated:NoSchedule", "taint \"dedicated:NoSchedule\" not found")]
    [InlineData("dedicated", "taint \"dedicated\" not found")]
    public void Apply_RemovingMissingTaint_FailsAsKubectl(string remove, string message)
    {
        var node = Node("n1", null, Taint("other", "NoSchedule"));

        var ex = Fails(node, [], [.. Parse(remove)]);

        Assert.Equal(message, ex.Status.Detail);
        Assert.Equal("other:NoSchedule", Taints(node));
    }

    [Fact]
    public void Apply_SeveralMissing_ListedTogether()
    {
        var ex = Fails(Node("n1"), [], [Taint("a", ""), Taint("b", "NoExecute")]);

        Assert.Equal("[taint \"a\" not found, taint \"b:NoExecute\" not found]", ex.Status.Detail);
    }

    [Fact]
    public void Apply_NoExecute_GetsTimeAddedAndKeepsItWhenWrittenAgain()
    {
        var node = Node("n1");
        NodeTaints.Apply(node, [Taint("x", "NoExecute", "1")], [], false, Epoch);
        NodeTaints.Apply(node, [Taint("x", "NoExecute", "1")], [], true, Epoch.AddHours(1));

        Assert.Equal(Epoch, node.Spec.Taints.Single().TimeAdded.ToDateTimeOffset());
    }

    [Fact]
    public void Apply_NoSchedule_HasNoTimeAdded()
    {
        var node = Node("n1");

        NodeTaints.Apply(node, [Taint("x", "NoSchedule")], [], false, Epoch);

        Assert.Null(node.Spec.Taints.Single().TimeAdded);
    }

    [Fact]
    public void Cordon_SetsUnschedulableAndTheTaint_UncordonRemovesBoth()
    {
        var node = Node("n1");

        Assert.Equal((true, true), NodeCordon.Apply(node, true, Epoch));
        Assert.True(node.Spec.Unschedulable);
        Assert.Equal("node.kubernetes.io/unschedulable:NoSchedule", Taints(node));
        Assert.Equal((false, false), NodeCordon.Apply(node, true, Epoch));

        Assert.Equal((true, true), NodeCordon.Apply(node, false, Epoch));
        Assert.False(node.Spec.Unschedulable);
        Assert.Empty(node.Spec.Taints);
        Assert.Equal((false, false), NodeCordon.Apply(node, false, Epoch));
    }

    [Fact]
    public void Cordon_AlreadyUnschedulableWithoutTaint_AddsTheTaintButReportsAlready()
    {
        var node = Node("n1");
        node.Spec.Unschedulable = true;

        Assert.Equal((false, true), NodeCordon.Apply(node, true, Epoch));
        Assert.Single(node.Spec.Taints);
    }

    /// <summary><c>k=v:Effect,k:Effect,k</c> as taints.</summary>
    private static IEnumerable<Taint> Parse(string text)
    {
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (keyValue, effect) = item.Contains(':') ? (item[..item.IndexOf(':')], item[(item.IndexOf(':') + 1)..]) : (item, "");
            var (key, value) = keyValue.Contains('=') ? (keyValue[..keyValue.IndexOf('=')], keyValue[(keyValue.IndexOf('=') + 1)..]) : (keyValue, "");
            yield return Taint(key, effect, value);
        }
    }
}
