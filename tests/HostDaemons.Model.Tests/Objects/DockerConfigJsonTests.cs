using System.Text;
using Google.Protobuf;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Objects;

public sealed class DockerConfigJsonTests
{
    private static Secret Secret(string type, string key, string content)
    {
        var secret = new Secret { Type = type };
        secret.Data[key] = ByteString.CopyFromUtf8(content);
        return secret;
    }

    [Fact]
    public void Build_WithEmail_IsKubectlsContent()
    {
        var json = Encoding.UTF8.GetString(DockerConfigJson.Build("registry.example.com:5000", "alice", "s3cret", "a@example.com"));

        Assert.Equal("""{"auths":{"registry.example.com:5000":{"username":"alice","password":"s3cret","email":"a@example.com","auth":"YWxpY2U6czNjcmV0"}}}""", json);
    }

    [Fact]
    public void Build_WithoutEmail_LeavesEmailOut()
    {
        var json = Encoding.UTF8.GetString(DockerConfigJson.Build("https://index.docker.io/v1/", "bob", "pw+/=", ""));

        Assert.Equal("""{"auths":{"https://index.docker.io/v1/":{"username":"bob","password":"pw+/=","auth":"Ym9iOnB3Ky89"}}}""", json);
    }

    [Fact]
    public void Read_BuiltSecret_RoundTrips()
    {
        var secret = new Secret { Type = SecretTypes.DockerConfigJson };
        secret.Data[SecretTypes.DockerConfigJsonKey] = ByteString.CopyFrom(DockerConfigJson.Build("r.io", "alice", "pa:ss", "e@x"));

        var entry = Assert.Single(DockerConfigJson.Read(secret));

        Assert.Equal(new DockerConfigEntry("r.io", "alice", "pa:ss", "e@x"), entry);
    }

    [Fact]
    public void Read_AuthBesideUsernameAndPassword_AuthWins()
    {
        var secret = Secret(SecretTypes.DockerConfigJson, SecretTypes.DockerConfigJsonKey,
            """{"auths":{"r.io":{"username":"ignored","password":"ignored","auth":"YWxpY2U6czNjcmV0"}}}""");

        var entry = Assert.Single(DockerConfigJson.Read(secret));

        Assert.Equal(("alice", "s3cret"), (entry.Username, entry.Password));
    }

    [Fact]
    public void Read_UnpaddedAuth_IsDecoded()
    {
        // base64("ab:c") is "YWI6Yw==": the kubelet accepts it without its padding.
        var secret = Secret(SecretTypes.DockerConfigJson, SecretTypes.DockerConfigJsonKey, """{"auths":{"r.io":{"auth":"YWI6Yw"}}}""");

        var entry = Assert.Single(DockerConfigJson.Read(secret));

        Assert.Equal(("ab", "c"), (entry.Username, entry.Password));
    }

    [Fact]
    public void Read_LegacyDockerCfg_HasNoAuthsWrapper()
    {
        var secret = Secret(SecretTypes.DockerCfg, SecretTypes.DockerCfgKey, """{"r.io":{"username":"u","password":"p"},"q.io":{"auth":"YTpi"}}""");

        var entries = DockerConfigJson.Read(secret);

        Assert.Equal([new DockerConfigEntry("r.io", "u", "p", ""), new DockerConfigEntry("q.io", "a", "b", "")], entries);
    }

    [Fact]
    public void Read_OpaqueSecretWithTheKey_HasNoCredentials()
    {
        Assert.Empty(DockerConfigJson.Read(Secret("Opaque", SecretTypes.DockerConfigJsonKey, """{"auths":{"r.io":{"auth":"YTpi"}}}""")));
    }

    [Fact]
    public void Read_BrokenContent_ThrowsFormatExceptionWithoutTheContent()
    {
        var secret = Secret(SecretTypes.DockerConfigJson, SecretTypes.DockerConfigJsonKey, """{"auths":{"r.io":{"auth":"bm9jb2xvbg=="}}}""");

        var ex = Assert.Throws<FormatException>(() => DockerConfigJson.Read(secret));

        Assert.DoesNotContain("bm9jb2xvbg", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_Entry_NeverShowsThePassword()
    {
        Assert.Equal("r.io (alice)", new DockerConfigEntry("r.io", "alice", "s3cret", "").ToString());
    }
}
