using HostDaemons.Model.Validation;

namespace HostDaemons.Model.Tests.Validation;

public sealed class NameValidationTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("ssd-monitor", true)]
    [InlineData("example.com", true)]
    [InlineData("0abc", true)]
    [InlineData("", false)]
    [InlineData("-a", false)]
    [InlineData("a-", false)]
    [InlineData("A", false)]
    [InlineData("a_b", false)]
    [InlineData("a..b", false)]
    public void IsDns1123Subdomain_FollowsKubernetesRegex(string value, bool expected)
    {
        Assert.Equal(expected, NameValidation.IsDns1123Subdomain(value));
    }

    [Fact]
    public void IsDns1123Subdomain_LengthLimitIs253()
    {
        Assert.True(NameValidation.IsDns1123Subdomain(new string('a', 253)));
        Assert.False(NameValidation.IsDns1123Subdomain(new string('a', 254)));
    }

    [Theory]
    [InlineData("kube-system", true)]
    [InlineData("a.b", false)]
    [InlineData("", false)]
    public void IsDns1123Label_FollowsKubernetesRegex(string value, bool expected)
    {
        Assert.Equal(expected, NameValidation.IsDns1123Label(value));
    }

    [Fact]
    public void IsDns1123Label_LengthLimitIs63()
    {
        Assert.True(NameValidation.IsDns1123Label(new string('a', 63)));
        Assert.False(NameValidation.IsDns1123Label(new string('a', 64)));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("MyValue", true)]
    [InlineData("my_value.1-2", true)]
    [InlineData("-bad", false)]
    [InlineData("bad-", false)]
    [InlineData("has space", false)]
    public void IsLabelValue_FollowsKubernetesRegex(string value, bool expected)
    {
        Assert.Equal(expected, NameValidation.IsLabelValue(value));
    }

    [Theory]
    [InlineData("app")]
    [InlineData("app.kubernetes.io/name")]
    [InlineData("node-role.kubernetes.io/control-plane")]
    [InlineData("My_Key.1")]
    public void CheckQualifiedName_Valid_Null(string value)
    {
        Assert.Null(NameValidation.CheckQualifiedName(value));
    }

    [Fact]
    public void CheckQualifiedName_BadPrefix_NamesPrefixPart()
    {
        Assert.Equal("prefix part " + NameValidation.Dns1123SubdomainMessage, NameValidation.CheckQualifiedName("Bad_Prefix/name"));
    }

    [Fact]
    public void CheckQualifiedName_EmptyName_MustBeNonEmpty()
    {
        Assert.Equal("name part must be non-empty", NameValidation.CheckQualifiedName("example.com/"));
    }

    [Fact]
    public void CheckQualifiedName_LongName_NoMoreThan63()
    {
        Assert.Equal("name part must be no more than 63 characters", NameValidation.CheckQualifiedName(new string('a', 64)));
    }

    [Fact]
    public void CheckQualifiedName_BadCharacters_UsesQualifiedNameMessage()
    {
        Assert.Equal(NameValidation.QualifiedNameMessage, NameValidation.CheckQualifiedName("bad key"));
    }

    [Fact]
    public void ValidateLabels_BadKeyAndValue_BothReported()
    {
        var errors = new ValidationErrors();

        NameValidation.ValidateLabels(new Dictionary<string, string>(StringComparer.Ordinal) { ["bad key"] = "-v" }, "metadata.labels", errors);

        Assert.Equal(
        [
            "metadata.labels: Invalid value: \"bad key\": " + NameValidation.QualifiedNameMessage,
            "metadata.labels: Invalid value: \"-v\": " + NameValidation.LabelValueMessage,
        ], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void ValidateLabels_ValueLongerThan63_SaysSo()
    {
        var errors = new ValidationErrors();

        NameValidation.ValidateLabels(new Dictionary<string, string>(StringComparer.Ordinal) { ["k"] = new string('a', 64) }, "metadata.labels", errors);

        Assert.EndsWith(": must be no more than 63 characters", Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MY_ENV", true)]
    [InlineData("my.env-name", true)]
    [InlineData("1ABC", false)]
    [InlineData("A B", false)]
    public void IsEnvVarName_FollowsKubernetesRegex(string value, bool expected)
    {
        Assert.Equal(expected, NameValidation.IsEnvVarName(value));
    }
}
