using HostDaemons.Agent.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.Tests.Hosting;

/// <summary>The join settings: a token lets an https:// agent start without the cluster's files in state-dir/pki.</summary>
public sealed class JoinOptionsTests : IDisposable
{
    private const string Token = "HD1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-abcdef.0123456789abcdef0123456789abcdef";

    private readonly TempDirectory _state = new("hd-join-options");

    [Fact]
    public void Build_HttpsWithoutCaOrToken_RefusedNamingTheJoinFlags()
    {
        var ex = Assert.ThrowsAny<Exception>(() => Build([]));

        Assert.Contains("--join-token-file FILE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoServer_ThePackagedControlPlaneOnThisHostOverTls()
    {
        using var host = AgentHost.Build(["--node-name", "edge-01", "--state-dir", _state.Path, "--join-token", Token], new Dictionary<string, string?>());

        Assert.Equal("https://127.0.0.1:7443", Options(host).Server);
    }

    [Fact]
    public void Build_HttpsWithTokenFile_StartsWithoutCa()
    {
        using var host = Build(["--join-token-file", _state.Combine("token")]);

        Assert.Equal(_state.Combine("token"), Options(host).JoinTokenFile);
    }

    [Fact]
    public void Build_TokenFromEnvironment_Used()
    {
        using var host = Build([], new Dictionary<string, string?> { ["HOSTDAEMONS_JOIN_TOKEN"] = Token });

        Assert.Equal(Token, Options(host).JoinToken);
    }

    [Fact]
    public void Build_MalformedToken_RefusedWithoutEchoingIt()
    {
        var ex = Assert.ThrowsAny<Exception>(() => Build(["--join-token", "HD1-abc-abcdef.notsecretenough"]));

        Assert.Contains("CA pin is 64 hexadecimal digits", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("notsecretenough", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TokenTwice_Refused()
    {
        var ex = Assert.ThrowsAny<Exception>(() => Build(["--join-token", Token, "--join-token-file", _state.Combine("token")]));

        Assert.Contains("not both", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_MentionsTheJoinFlags()
    {
        Assert.Contains("--join-token-file FILE", AgentHost.Usage, StringComparison.Ordinal);
        Assert.Contains("--join-token TOKEN", AgentHost.Usage, StringComparison.Ordinal);
    }

    private Microsoft.Extensions.Hosting.IHost Build(string[] args, Dictionary<string, string?>? environment = null)
    {
        var host = AgentHost.Build(["--node-name", "edge-01", "--server", "https://127.0.0.1:7443", "--state-dir", _state.Path, .. args], environment ?? []);
        try
        {
            _ = Options(host);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private static AgentOptions Options(Microsoft.Extensions.Hosting.IHost host) => host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;

    public void Dispose() => _state.Dispose();
}
