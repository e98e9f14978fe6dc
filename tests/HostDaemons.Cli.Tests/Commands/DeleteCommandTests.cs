using static HostDaemons.Cli.Tests.HdctlRunner;

namespace HostDaemons.Cli.Tests.Commands;

/// <summary>delete's arguments for collections, checked before anything is sent (the deletions themselves: integration tests).</summary>
public sealed class DeleteCommandTests
{
    [Theory]
    [InlineData("error: name cannot be provided when a selector is specified", "delete", "ds", "x", "-l", "app=x")]
    [InlineData("error: cannot set --all and --selector at the same time", "delete", "ds", "--all", "-l", "app=x")]
    [InlineData("error: a resource cannot be retrieved by name across all namespaces", "delete", "ds", "x", "-A")]
    [InlineData("error: resource(s) were provided, but no name was specified", "delete", "ds")]
    [InlineData("error: --now and --grace-period cannot be specified together", "delete", "pod", "x", "--now", "--grace-period=5")]
    [InlineData("error: invalid argument \"soon\" for \"--timeout\" flag: time: invalid duration", "delete", "pod", "x", "--timeout=soon")]
    public async Task Run_ConflictingArguments_KubectlsErrorWithoutContactingTheServer(string message, params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal((1, "", message + "\n"), (code, output, error));
    }

    [Fact]
    public async Task Run_InvalidSelector_RefusedBeforeContactingTheServer()
    {
        var (code, _, error) = await RunAsync("delete", "ds", "-l", "app in (x");

        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1:1", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("delete", "ds", "-l", "app=x")]
    [InlineData("delete", "ds", "--all")]
    [InlineData("delete", "ds", "--all", "-A")]
    public async Task Run_Collection_ListsOnTheServer(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(1, code);
        Assert.Contains("127.0.0.1:1", error, StringComparison.Ordinal);
    }
}
