using HostDaemons.Cli.Client;
using HostDaemons.Cli.Commands;

namespace HostDaemons.Cli.Tests.Commands;

public sealed class TaintSpecsTests
{
    private static string Show(IEnumerable<Model.V1.Taint> taints) => string.Join(",", taints.Select(t => $"{t.Key}|{t.Value}|{t.Effect}"));

    [Theory]
    [InlineData("dedicated=infra:NoSchedule", "dedicated|infra|NoSchedule", "")]
    [InlineData("dedicated:NoExecute", "dedicated||NoExecute", "")]
    [InlineData("node-role.kubernetes.io/master:PreferNoSchedule", "node-role.kubernetes.io/master||PreferNoSchedule", "")]
    [InlineData("dedicated=:NoSchedule", "dedicated||NoSchedule", "")]
    [InlineData("dedicated:NoSchedule-", "", "dedicated||NoSchedule")]
    [InlineData("dedicated-", "", "dedicated||")]
    [InlineData("dedicated=infra:NoSchedule-", "", "dedicated||NoSchedule")]
    public void Parse_Spec_AddsOrRemoves(string spec, string add, string remove)
    {
        var (added, removed) = TaintSpecs.Parse([spec]);

        Assert.Equal(add, Show(added));
        Assert.Equal(remove, Show(removed));
    }

    [Theory]
    [InlineData("dedicated=infra:Sometimes", "invalid taint effect: Sometimes, unsupported taint effect")]
    [InlineData("dedicated", "invalid taint spec: dedicated")]
    [InlineData("a=b=c:NoSchedule", "invalid taint spec: a=b=c:NoSchedule")]
    [InlineData("a:b:NoSchedule", "invalid taint spec: a:b:NoSchedule")]
    [InlineData("bad key:NoSchedule", "invalid taint spec: bad key:NoSchedule, name part must consist of")]
    [InlineData("k=bad value:NoSchedule", "invalid taint spec: k=bad value:NoSchedule, a valid label must be")]
    [InlineData("dedicated=infra", "invalid taint spec: dedicated=infra, name part must consist of")]
    public void Parse_Malformed_KubectlMessage(string spec, string message)
    {
        var ex = Assert.Throws<FormatException>(() => TaintSpecs.Parse([spec]));

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SameKeyAndEffectTwice_DuplicatedAsKubectlPrintsIt()
    {
        var ex = Assert.Throws<FormatException>(() => TaintSpecs.Parse(["a=1:NoSchedule", "a=2:NoSchedule"]));

        Assert.Equal("duplicated taints with the same key and effect: {a 2 NoSchedule <nil>}", ex.Message);
    }

    [Theory]
    [InlineData("a=1:NoSchedule", "a:NoSchedule-", "can not both modify and remove the following taint(s) in the same command: a=NoSchedule")]
    [InlineData("a=1:NoSchedule", "a-", "can not both modify and remove the following taint(s) in the same command: a=")]
    [InlineData("a=1:NoSchedule", "a:NoExecute-", null)]
    public void Conflicts_AddAndRemoveSameTaint_Refused(string add, string remove, string? expected)
    {
        var (added, _) = TaintSpecs.Parse([add]);
        var (_, removed) = TaintSpecs.Parse([remove]);

        Assert.Equal(expected, TaintSpecs.Conflicts(added, removed));
    }

    [Fact]
    public void Split_ResourceAfterTaint_Refused()
    {
        var ex = Assert.Throws<CliException>(() => TaintSpecs.Split(["node", "a:NoSchedule", "n1"]));

        Assert.Equal("error: all resources must be specified before taint changes: n1", ex.Message);
    }
}
