using HostDaemons.Cli.Client;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests;

public sealed class ResourceArgumentsTests
{
    [Theory]
    [InlineData("ds", ResourceKind.DaemonSet)]
    [InlineData("daemonset", ResourceKind.DaemonSet)]
    [InlineData("daemonsets", ResourceKind.DaemonSet)]
    [InlineData("daemonset.apps", ResourceKind.DaemonSet)]
    [InlineData("daemonsets.apps", ResourceKind.DaemonSet)]
    [InlineData("DaemonSet", ResourceKind.DaemonSet)]
    [InlineData("DS", ResourceKind.DaemonSet)]
    [InlineData("po", ResourceKind.Pod)]
    [InlineData("pod", ResourceKind.Pod)]
    [InlineData("pods", ResourceKind.Pod)]
    [InlineData("Pod", ResourceKind.Pod)]
    [InlineData("no", ResourceKind.Node)]
    [InlineData("node", ResourceKind.Node)]
    [InlineData("nodes", ResourceKind.Node)]
    public void Kind_EveryKubectlName_Resolves(string noun, ResourceKind expected)
    {
        Assert.Equal(expected, ResourceArguments.Kind(noun).Kind);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("deployments")]
    [InlineData("daemonsets.extensions")]
    [InlineData("pods.apps")]
    public void Kind_Unknown_SaysServerHasNoSuchType(string noun)
    {
        var ex = Assert.Throws<CliException>(() => ResourceArguments.Kind(noun));

        Assert.Equal($"error: the server doesn't have a resource type \"{noun}\"", ex.Message);
        Assert.Equal(1, ex.ExitCode);
    }

    [Fact]
    public void Parse_TypeOnly_NoNames()
    {
        var (kind, names) = ResourceArguments.Parse(["ds"]);

        Assert.Equal(ResourceKind.DaemonSet, kind.Kind);
        Assert.Empty(names);
    }

    [Fact]
    public void Parse_TypeAndNames_NamesInOrder()
    {
        var (kind, names) = ResourceArguments.Parse(["pods", "b", "a"]);

        Assert.Equal(ResourceKind.Pod, kind.Kind);
        Assert.Equal(["b", "a"], names);
    }

    [Fact]
    public void Parse_TypeSlashName_Resolves()
    {
        var (kind, names) = ResourceArguments.Parse(["ds/ssd-monitor"]);

        Assert.Equal(ResourceKind.DaemonSet, kind.Kind);
        Assert.Equal(["ssd-monitor"], names);
    }

    [Fact]
    public void Parse_SeveralTypeSlashNamesOfOneKind_AllNames()
    {
        var (kind, names) = ResourceArguments.Parse(["daemonset.apps/a", "ds/b", "daemonsets/c"]);

        Assert.Equal(ResourceKind.DaemonSet, kind.Kind);
        Assert.Equal(["a", "b", "c"], names);
    }

    [Fact]
    public void Parse_MixedKinds_IsAnError()
    {
        var ex = Assert.Throws<CliException>(() => ResourceArguments.Parse(["ds/a", "po/b"]));

        Assert.Equal("error: all resources must be of one type", ex.Message);
    }

    [Theory]
    [InlineData("ds/a", "b")]
    [InlineData("ds/")]
    [InlineData("/a")]
    public void Parse_SlashFormMixedWithBareOrEmptyParts_IsAnError(params string[] arguments)
    {
        var ex = Assert.Throws<CliException>(() => ResourceArguments.Parse(arguments));

        Assert.StartsWith("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TypeThenTypeSlashName_IsAnError()
    {
        var ex = Assert.Throws<CliException>(() => ResourceArguments.Parse(["ds", "ds/x"]));

        Assert.StartsWith("error: there is no need to specify a resource type as a separate argument", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownTypeInSlashForm_SaysServerHasNoSuchType()
    {
        var ex = Assert.Throws<CliException>(() => ResourceArguments.Parse(["deploy/x"]));

        Assert.Equal("error: the server doesn't have a resource type \"deploy\"", ex.Message);
    }

    [Fact]
    public void Parse_Nothing_ListsValidTypes()
    {
        var ex = Assert.Throws<CliException>(() => ResourceArguments.Parse([]));

        Assert.Equal("error: You must specify the type of resource to get. Valid resource types include: daemonsets (ds), pods (po), nodes (no)", ex.Message);
    }
}
