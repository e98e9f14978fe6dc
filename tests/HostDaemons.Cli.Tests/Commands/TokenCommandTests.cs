namespace HostDaemons.Cli.Tests.Commands;

public sealed class TokenCommandTests
{
    [Theory]
    [InlineData("bogus")]
    [InlineData("0s")]
    [InlineData("-1h")]
    public async Task Create_BadTtl_RefusedBeforeAnyCall(string ttl)
    {
        var (code, output, error) = await HdctlRunner.RunAsync("token", "create", "--ttl", ttl);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Equal($"error: invalid argument \"{ttl}\" for \"--ttl\" flag: a duration more than 0, such as 24h or 30m\n", error);
    }

    [Fact]
    public async Task Delete_NoId_IsAUsageError()
    {
        var (code, _, error) = await HdctlRunner.RunAsync("token", "delete");

        Assert.Equal(1, code);
        Assert.Contains("See 'hdctl token delete --help' for usage.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_NoServer_FailsWithTheConnectionError()
    {
        var (code, output, error) = await HdctlRunner.RunAsync("token", "list");

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("127.0.0.1:1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeResetIdentity_NoName_IsAUsageError()
    {
        var (code, _, error) = await HdctlRunner.RunAsync("node", "reset-identity");

        Assert.Equal(1, code);
        Assert.Contains("See 'hdctl node reset-identity --help' for usage.", error, StringComparison.Ordinal);
    }
}
