using HostDaemons.ControlPlane.Security;
using Microsoft.Extensions.Logging.Testing;

namespace HostDaemons.ControlPlane.Tests.Security;

public sealed class StaticTokenFileTests : IDisposable
{
    private const string Alice = "alice-token-0123456789abcdef0123456789";
    private const string Bob = "bob-token-0123456789abcdef0123456789ab";

    private readonly TempDirectory _directory = new("hd-tokens");

    [Fact]
    public void Parse_QuotedGroups_UserWithGroupsAndAuthenticated()
    {
        var file = StaticTokenFile.Parse("tokens.csv", $"{Alice},alice,1001,\"ops, viewers\"\n\n{Bob},bob,1002\n");

        var alice = file.Find(Alice)!;
        var bob = file.Find(Bob)!;

        Assert.Equal(("alice", AuthenticationMethod.BearerToken), (alice.User, alice.Method));
        Assert.Equal(["ops", "viewers", "system:authenticated"], alice.Groups);
        Assert.Equal(("bob", "system:authenticated"), (bob.User, string.Join(",", bob.Groups)));
        Assert.Null(file.Find(Alice[..^1]));
        Assert.Null(file.Find(""));
    }

    [Theory]
    [InlineData("{0},alice,1\nshort,bob,2\n", "tokens.csv:2: the token is 5 characters long; tokens must be at least 32")]
    [InlineData("{0},alice\n", "tokens.csv:1: a line needs at least 3 columns (token, user name, user uid), found 2")]
    [InlineData("{0},,1\n", "tokens.csv:1: the user name (column 2) is empty")]
    [InlineData("{0},alice,1\r\n\r\n{0},mallory,2\r\n", "tokens.csv:3: the same token as line 1: each token names one user")]
    [InlineData("{0},alice,1,\"ops\n", "tokens.csv:1: a quoted field is not closed")]
    public void Parse_BadLine_NamesFileAndLineAndNeverTheToken(string text, string message)
    {
        var error = Assert.Throws<TokenFileException>(() => StaticTokenFile.Parse("tokens.csv", string.Format(System.Globalization.CultureInfo.InvariantCulture, text, Alice)));

        Assert.Equal(message, error.Message);
        Assert.DoesNotContain(Alice, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FileOverOneMebibyte_Refused()
    {
        var path = _directory.Combine("big.csv");
        File.WriteAllText(path, new string('#', StaticTokenFile.MaxFileBytes + 1));

        var error = Assert.Throws<TokenFileException>(() => StaticTokenFile.Read(path));

        Assert.Contains("more than the 1048576 allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_LineRemoved_TokenStopsWorking_BadEditKeepsLastGoodTable()
    {
        var path = _directory.Combine("tokens.csv");
        File.WriteAllText(path, $"{Alice},alice,1\n{Bob},bob,2\n");
        var log = new FakeLogCollector();
        var authenticator = new TokenFileAuthenticator(path, new FakeLogger<TokenFileAuthenticator>(log));

        File.WriteAllText(path, $"{Bob},bob,2\n");
        var removed = authenticator.Reload(force: true);
        var aliceAfterRemoval = await authenticator.AuthenticateAsync(Alice, TestContext.Current.CancellationToken);
        File.WriteAllText(path, $"{Bob},bob,2\ntiny,eve,3\n");
        var broken = authenticator.Reload(force: true);

        Assert.True(removed);
        Assert.Null(aliceAfterRemoval);
        Assert.False(broken);
        Assert.Equal("bob", (await authenticator.AuthenticateAsync(Bob, TestContext.Current.CancellationToken))?.User);
        Assert.Null(await authenticator.AuthenticateAsync("tiny", TestContext.Current.CancellationToken));
        Assert.Contains(log.GetSnapshot(), r => r.Message.Contains("tokens.csv:2: the token is 4 characters long", StringComparison.Ordinal));
    }

    [Fact]
    public void Reload_FileUnchanged_NotReadAgain()
    {
        var path = _directory.Combine("tokens.csv");
        File.WriteAllText(path, $"{Alice},alice,1\n");
        var authenticator = new TokenFileAuthenticator(path, new FakeLogger<TokenFileAuthenticator>());

        Assert.False(authenticator.Reload(force: false));
    }

    public void Dispose() => _directory.Dispose();
}
