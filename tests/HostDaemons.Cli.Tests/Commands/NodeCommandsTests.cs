namespace HostDaemons.Cli.Tests.Commands;

/// <summary>taint, cordon and uncordon: kubectl's argument checks and messages, before anything is sent.</summary>
public sealed class NodeCommandsTests
{
    [Theory]
    [InlineData(new[] { "taint", "node", "n1" }, "error: at least one taint update is required\n")]
    [InlineData(new[] { "taint", "a=b:NoSchedule" }, "error: one or more resources must be specified as <resource> <name>\n")]
    [InlineData(new[] { "taint", "node", "a=b:NoSchedule" }, "error: at least one resource name must be specified since 'all' parameter is not set\n")]
    [InlineData(new[] { "taint", "pods", "p1", "a=b:NoSchedule" }, "error: invalid resource type pods, only [\"node\" \"nodes\"] are supported\n")]
    [InlineData(new[] { "taint", "node", "n1", "a=b:Never" }, "error: invalid taint effect: Never, unsupported taint effect\nSee 'hdctl taint -h' for help and examples\n")]
    [InlineData(new[] { "taint", "node", "n1", "a=b:NoSchedule", "a:NoSchedule-" }, "error: can not both modify and remove the following taint(s) in the same command: a=NoSchedule\n")]
    [InlineData(new[] { "taint", "node", "n1", "a=b:NoSchedule", "n2" }, "error: all resources must be specified before taint changes: n2\n")]
    [InlineData(new[] { "taint", "node", "--all", "-l", "x=y", "a=b:NoSchedule" }, "error: setting 'all' parameter with a non empty selector is prohibited\n")]
    [InlineData(new[] { "cordon" }, "error: USAGE: cordon NODE [flags]\nSee 'hdctl cordon -h' for help and examples\n")]
    [InlineData(new[] { "uncordon" }, "error: USAGE: uncordon NODE [flags]\nSee 'hdctl uncordon -h' for help and examples\n")]
    [InlineData(new[] { "cordon", "pod/p1" }, "error: pod is not a node\n")]
    [InlineData(new[] { "explain-placement" }, "error: you must specify a daemonset (ds/NAME) or -f FILE holding one\n")]
    [InlineData(new[] { "explain-placement", "pod/p1" }, "error: placement is explained for daemonsets, not pods\n")]
    public async Task Run_BadArguments_KubectlMessageAndExit1(string[] args, string expected)
    {
        var (code, output, error) = await HdctlRunner.RunAsync(args);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("taint", "node", "n1", "a=b:NoSchedule")]
    [InlineData("taint", "no/n1", "a-")]
    [InlineData("cordon", "n1")]
    [InlineData("uncordon", "node/n1")]
    [InlineData("explain-placement", "ds/x")]
    public async Task Run_ValidArguments_ReachTheServer(params string[] args)
    {
        var (code, _, error) = await HdctlRunner.RunAsync(args);

        Assert.Equal(1, code);
        Assert.StartsWith("The connection to the server 127.0.0.1:1 was refused", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ApplyOutputOtherThanWide_Refused()
    {
        var (code, _, error) = await HdctlRunner.RunAsync("apply", "-f", "x.yaml", "-o", "json");

        Assert.Equal(1, code);
        Assert.Equal("error: unable to match a printer suitable for the output format \"json\", allowed formats are: wide\n", error);
    }
}
