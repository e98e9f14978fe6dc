using HostDaemons.Agent.Runtime;

namespace HostDaemons.Agent.Tests.Runtime;

public sealed class RegistryCredentialsTests
{
    private static RegistryCredential Credential(string server, string username = "u") => new(server, username, "p");

    private static string? MatchServer(string image, params string[] servers) =>
        RegistryCredentials.Match(image, [.. servers.Select(s => Credential(s))])?.Server;

    [Theory]
    [InlineData("busybox", "docker.io", "library/busybox")]
    [InlineData("busybox:1.36", "docker.io", "library/busybox")]
    [InlineData("team/app@sha256:abc", "docker.io", "team/app")]
    [InlineData("docker.io/library/busybox", "docker.io", "library/busybox")]
    [InlineData("index.docker.io/team/app:1", "docker.io", "team/app")]
    [InlineData("127.0.0.1:5000/private/busybox:1", "127.0.0.1:5000", "private/busybox")]
    [InlineData("localhost/app", "localhost", "app")]
    [InlineData("Registry.Example.com/team/app", "registry.example.com", "team/app")]
    public void Locate_Image_RegistryAndRepository(string image, string registry, string repository)
    {
        Assert.Equal((registry, repository), RegistryCredentials.Locate(image));
    }

    [Theory]
    [InlineData("https://index.docker.io/v1/")]
    [InlineData("index.docker.io")]
    [InlineData("docker.io")]
    [InlineData("registry-1.docker.io")]
    [InlineData("https://registry-1.docker.io/v2/")]
    public void Match_DockerHubImage_AnyDockerHubKey(string server)
    {
        Assert.Equal(server, MatchServer("team/app:1", server));
        Assert.Equal(server, MatchServer("busybox", server));
    }

    [Fact]
    public void Match_PrivateRegistryImage_PicksItsServerAmongOthers()
    {
        Assert.Equal("127.0.0.1:5000", MatchServer("127.0.0.1:5000/private/busybox:1", "https://index.docker.io/v1/", "127.0.0.1:5000", "r.io"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("https://127.0.0.1:5000/v2/")]
    [InlineData("127.0.0.1:5000/")]
    public void Match_ServerWithSchemeOrApiPath_StillMatches(string server)
    {
        Assert.Equal(server, MatchServer("127.0.0.1:5000/private/busybox:1", server));
    }

    [Theory]
    [InlineData("127.0.0.1:5000/private/busybox", "127.0.0.1")]
    [InlineData("127.0.0.1/private/busybox", "127.0.0.1:5000")]
    [InlineData("127.0.0.1:5000/private/busybox", "127.0.0.1:5001")]
    [InlineData("busybox", "r.io")]
    [InlineData("r.io/app", "https://index.docker.io/v1/")]
    [InlineData("r.io/app", "q.io")]
    [InlineData("sub.r.io/app", "r.io")]
    public void Match_DifferentHostOrPort_None(string image, string server)
    {
        Assert.Null(MatchServer(image, server));
    }

    [Fact]
    public void Match_NoCredentials_None()
    {
        Assert.Null(RegistryCredentials.Match("r.io/app", []));
    }

    [Fact]
    public void Match_KeyWithPath_OnlyForRepositoriesUnderIt()
    {
        Assert.Equal("r.io/team", MatchServer("r.io/team/app:1", "r.io/team"));
        Assert.Null(MatchServer("r.io/teamwork/app:1", "r.io/team"));
        Assert.Null(MatchServer("r.io/other/app:1", "r.io/team"));
    }

    [Fact]
    public void Match_SeveralKeysMatch_MostSpecificWins()
    {
        Assert.Equal("r.io/team/app", MatchServer("r.io/team/app:1", "r.io", "r.io/team/app", "r.io/team"));
        Assert.Equal("r.io", MatchServer("r.io/app", "*.io", "r.io"));
    }

    [Fact]
    public void Match_SameKeyInTwoSecrets_FirstGivenWins()
    {
        var first = new RegistryCredential("r.io", "first", "p", "a");
        var second = new RegistryCredential("r.io", "second", "p", "b");

        Assert.Same(first, RegistryCredentials.Match("r.io/app", [first, second]));
    }

    [Theory]
    [InlineData("*.example.com", "registry.example.com/app", true)]
    [InlineData("*.example.com", "example.com/app", false)]
    [InlineData("*.example.com", "a.b.example.com/app", false)]
    [InlineData("registry-*.example.com", "registry-eu.example.com/app", true)]
    public void Match_WildcardLabel_MatchesOneLabel(string server, string image, bool matches)
    {
        Assert.Equal(matches, MatchServer(image, server) is not null);
    }

    [Fact]
    public void ToString_Credential_NeverShowsThePassword()
    {
        var text = new RegistryCredential("r.io", "alice", "s3cret", "regcred").ToString();

        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
        Assert.Equal("r.io (alice, from secret regcred)", text);
    }
}
