namespace HostDaemons.Model.Tests.Validation;

public sealed class ConfigMapValidatorTests
{
    private const string Header = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n";

    private const string KeyMessage =
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

    [Fact]
    public void Validate_KeysOfBothKinds_Valid()
    {
        Assert.Empty(KindYaml.Errors(Header + "data:\n  app.conf: x\n  KEY_1: y\nbinaryData:\n  logo-2.png: AAEC\n"));
    }

    [Theory]
    [InlineData("data:\n  a/b: x\n", "data[a/b]: Invalid value: \"a/b\": " + KeyMessage)]
    [InlineData("binaryData:\n  \"..x\": AA==\n", "binaryData[..x]: Invalid value: \"..x\": must not start with '..'")]
    [InlineData("data:\n  \".\": x\n", "data[.]: Invalid value: \".\": must not be '.'")]
    [InlineData("data:\n  k: x\nbinaryData:\n  k: AA==\n", "data[k]: Invalid value: \"k\": duplicate of key present in binaryData")]
    public void Validate_BadKey_KubernetesMessage(string body, string expected)
    {
        Assert.Equal(expected, Assert.Single(KindYaml.Errors(Header + body)));
    }

    [Fact]
    public void Validate_NameNotASubdomain_Invalid()
    {
        var error = Assert.Single(KindYaml.Errors("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n"));

        Assert.StartsWith("metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DataAndBinaryDataOverOneMebibyte_TooLongForTheWholeObject()
    {
        var half = new string('x', 600_000);
        var binary = Convert.ToBase64String(new byte[500_000]);

        var errors = KindYaml.Errors(Header + $"data:\n  a: {half}\nbinaryData:\n  b: {binary}\n");

        Assert.Equal("[]: Too long: must have at most 1048576 bytes", Assert.Single(errors));
    }

    [Fact]
    public void Validate_ExactlyOneMebibyte_Valid()
    {
        Assert.Empty(KindYaml.Errors(Header + $"data:\n  a: {new string('x', 1_048_576)}\n"));
    }

    [Theory]
    [InlineData("immutable: true\ndata:\n  a: \"2\"\n", "data: Forbidden: field is immutable when `immutable` is set")]
    [InlineData("immutable: true\ndata:\n  a: \"1\"\nbinaryData:\n  b: AA==\n", "binaryData: Forbidden: field is immutable when `immutable` is set")]
    [InlineData("immutable: false\ndata:\n  a: \"1\"\n", "immutable: Forbidden: field is immutable when `immutable` is set")]
    [InlineData("data:\n  a: \"1\"\n", "immutable: Forbidden: field is immutable when `immutable` is set")]
    public void ValidateUpdate_Immutable_DataAndTheMarkStay(string updated, string expected)
    {
        var errors = KindYaml.UpdateErrors(Header + "immutable: true\ndata:\n  a: \"1\"\n", Header + updated);

        Assert.Equal(expected, Assert.Single(errors));
    }

    [Fact]
    public void ValidateUpdate_ImmutableWithNewLabels_Allowed()
    {
        var updated = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  labels:\n    tier: a\nimmutable: true\ndata:\n  a: \"1\"\n";

        Assert.Empty(KindYaml.UpdateErrors(Header + "immutable: true\ndata:\n  a: \"1\"\n", updated));
    }

    [Fact]
    public void ValidateUpdate_NotImmutable_DataMayChangeAndBecomeImmutable()
    {
        Assert.Empty(KindYaml.UpdateErrors(Header + "data:\n  a: \"1\"\n", Header + "immutable: true\ndata:\n  a: \"2\"\n"));
    }

    [Fact]
    public void SecretValidateUpdate_Immutable_DataStays()
    {
        const string secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nimmutable: true\ndata:\n  a: MQ==\n";

        var errors = KindYaml.UpdateErrors(secret, secret.Replace("MQ==", "Mg==", StringComparison.Ordinal));

        Assert.Equal("data: Forbidden: field is immutable when `immutable` is set", Assert.Single(errors));
    }
}
