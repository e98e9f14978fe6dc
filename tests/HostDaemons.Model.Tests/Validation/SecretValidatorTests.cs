using System.Text;
using Google.Protobuf;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.Model.Tests.Validation;

public sealed class SecretValidatorTests
{
    private const string ValidConfig = """{"auths":{"registry.example.com":{"username":"u","password":"p","auth":"dTpw"}}}""";

    private static Secret Secret(string type = "", string? dockerConfig = null)
    {
        var secret = new Secret { Metadata = new ObjectMeta { Name = "regcred" }, Type = type };
        if (dockerConfig is not null)
        {
            secret.Data[SecretTypes.DockerConfigJsonKey] = ByteString.CopyFromUtf8(dockerConfig);
        }

        return secret;
    }

    private static string[] Validate(Secret secret)
    {
        ObjectValidator.ApplyDefaults(secret);
        return [.. ObjectValidator.Validate(secret).Select(e => e.ToString())];
    }

    [Fact]
    public void ApplyDefaults_NoType_IsOpaqueInTheDefaultNamespace()
    {
        var secret = Secret();

        ObjectValidator.ApplyDefaults(secret);

        Assert.Equal("Opaque", secret.Type);
        Assert.Equal("default", secret.Metadata.Namespace);
        Assert.Equal("v1", secret.ApiVersion);
        Assert.Equal("Secret", secret.Kind);
    }

    [Fact]
    public void ApplyDefaults_StringData_IsMergedIntoDataAndCleared()
    {
        var secret = Secret();
        secret.Data["a"] = ByteString.CopyFromUtf8("from data");
        secret.Data["b"] = ByteString.CopyFromUtf8("kept");
        secret.StringData["a"] = "from stringData";
        secret.StringData["c"] = "new";

        ObjectValidator.ApplyDefaults(secret);

        Assert.Empty(secret.StringData);
        Assert.Equal("from stringData", secret.Data["a"].ToStringUtf8());
        Assert.Equal("kept", secret.Data["b"].ToStringUtf8());
        Assert.Equal("new", secret.Data["c"].ToStringUtf8());
    }

    [Fact]
    public void Validate_ValidDockerConfigJson_HasNoErrors()
    {
        Assert.Empty(Validate(Secret(SecretTypes.DockerConfigJson, ValidConfig)));
    }

    [Fact]
    public void Validate_DockerConfigJsonGivenAsStringData_HasNoErrors()
    {
        var secret = Secret(SecretTypes.DockerConfigJson);
        secret.StringData[SecretTypes.DockerConfigJsonKey] = ValidConfig;

        Assert.Empty(Validate(secret));
    }

    [Fact]
    public void Validate_DockerConfigJsonWithoutItsKey_IsRequiredValue()
    {
        var error = Assert.Single(Validate(Secret(SecretTypes.DockerConfigJson)));

        Assert.Equal("data[.dockerconfigjson]: Required value", error);
    }

    [Theory]
    [InlineData("{not json", "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": invalid JSON: ")]
    [InlineData("", "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": unexpected end of JSON input")]
    [InlineData("[1]", "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": json: cannot unmarshal array into Go value of type map[string]interface {}")]
    [InlineData("{}", "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": must contain an \"auths\" object")]
    [InlineData("""{"auths":"x"}""", "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": json: cannot unmarshal string into Go struct field DockerConfigJSON.auths of type credentialprovider.DockerConfig")]
    [InlineData("""{"auths":{"r.io":{"auth":"bm9jb2xvbg=="}}}""", "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": the auth of \"r.io\" must be formatted as base64(username:password)")]
    [InlineData("""{"auths":{"r.io":{"password":1}}}""", "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": json: cannot unmarshal number into Go struct field .password of type string")]
    public void Validate_BadDockerConfigJson_IsInvalidWithoutQuotingTheContent(string content, string expected)
    {
        var error = Assert.Single(Validate(Secret(SecretTypes.DockerConfigJson, content)));

        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("not json", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LegacyDockerCfgWithoutAuthsWrapper_HasNoErrors()
    {
        var secret = Secret(SecretTypes.DockerCfg);
        secret.Data[SecretTypes.DockerCfgKey] = ByteString.CopyFromUtf8("""{"r.io":{"username":"u","password":"p"}}""");

        Assert.Empty(Validate(secret));
    }

    [Fact]
    public void Validate_OpaqueSecretWithAnyKeys_HasNoErrors()
    {
        var secret = Secret();
        secret.Data["token"] = ByteString.CopyFromUtf8("not json at all");

        Assert.Empty(Validate(secret));
    }

    [Theory]
    [InlineData("a/b", "data[a/b]: Invalid value: \"a/b\": " + SecretValidator.ConfigKeyMessage)]
    [InlineData("..x", "data[..x]: Invalid value: \"..x\": must not start with '..'")]
    [InlineData(".", "data[.]: Invalid value: \".\": must not be '.'")]
    public void Validate_BadDataKey_IsWordedAsKubernetesConfigKey(string key, string expected)
    {
        var secret = Secret();
        secret.Data[key] = ByteString.CopyFromUtf8("x");

        Assert.Equal([expected], Validate(secret));
    }

    [Fact]
    public void Validate_DataOverOneMebibyte_IsTooLong()
    {
        var secret = Secret();
        secret.Data["big"] = ByteString.CopyFrom(new byte[SecretTypes.MaxSize + 1]);

        Assert.Equal(["data: Too long: may not be more than 1048576 bytes"], Validate(secret));
    }

    [Theory]
    [InlineData("Regcred")]
    [InlineData("reg_cred")]
    public void Validate_NameNotADnsSubdomain_IsInvalid(string name)
    {
        var secret = Secret();
        secret.Metadata.Name = name;

        var error = Assert.Single(Validate(secret));

        Assert.Equal($"metadata.name: Invalid value: \"{name}\": {NameValidation.Dns1123SubdomainMessage}", error);
    }

    [Fact]
    public void Validate_DottedName_IsValid()
    {
        var secret = Secret();
        secret.Metadata.Name = "registry.example.com";

        Assert.Empty(Validate(secret));
    }

    [Fact]
    public void Validate_TlsSecretWithoutKeys_RequiresBoth()
    {
        Assert.Equal(["data[tls.crt]: Required value", "data[tls.key]: Required value"], Validate(Secret("kubernetes.io/tls")));
    }

    [Fact]
    public void ValidateUpdate_ChangedType_IsImmutable()
    {
        var error = Assert.Single(SecretValidator.ValidateUpdate(Secret("Opaque"), Secret(SecretTypes.DockerConfigJson)));

        Assert.Equal("type: Invalid value: \"Opaque\": field is immutable", error.ToString());
    }

    [Fact]
    public void Read_SecretManifestWithStringData_DecodesDefaultsAndValidates()
    {
        const string manifest = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: regcred
            type: kubernetes.io/dockerconfigjson
            stringData:
              .dockerconfigjson: '{"auths":{"r.io":{"auth":"dTpw"}}}'
            data:
              other: aGVsbG8=
            """;

        var result = ManifestReader.Read(manifest, "secret.yaml");

        Assert.Empty(result.Problems);
        var secret = Assert.IsType<Secret>(Assert.Single(result.Objects).Value);
        Assert.Equal("hello", secret.Data["other"].ToStringUtf8());
        Assert.Equal("""{"auths":{"r.io":{"auth":"dTpw"}}}""", Encoding.UTF8.GetString(secret.Data[".dockerconfigjson"].Span));
        Assert.Empty(secret.StringData);
    }

    [Fact]
    public void Read_DockerConfigJsonSecretWithoutTheKey_NamesTheLineOfData()
    {
        const string manifest = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: regcred
            type: kubernetes.io/dockerconfigjson
            data:
              other: aGVsbG8=
            """;

        var problem = Assert.Single(ManifestReader.Read(manifest, "secret.yaml").Problems);

        Assert.Equal("secret.yaml:6:1: The Secret \"regcred\" is invalid: data[.dockerconfigjson]: Required value", problem.ToString());
    }
}
