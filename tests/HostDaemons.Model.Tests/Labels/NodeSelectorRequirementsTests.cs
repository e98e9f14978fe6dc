using HostDaemons.Model.Labels;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Labels;

public sealed class NodeSelectorRequirementsTests
{
    [Theory]
    [InlineData("In", new[] { "a", "b" }, "zone in [a, b]")]
    [InlineData("Exists", new string[0], "zone exists")]
    [InlineData("DoesNotExist", new string[0], "zone doesnotexist")]
    [InlineData("Gt", new[] { "4" }, "zone gt [4]")]
    public void Format_AsKubectlDescribe(string @operator, string[] values, string expected)
    {
        Assert.Equal(expected, NodeSelectorRequirements.Format(new NodeSelectorRequirement { Key = "zone", Operator = @operator, Values = { values } }));
    }

    [Theory]
    [InlineData("10", "Gt", "9", true)]
    [InlineData("9", "Gt", "10", false)]
    [InlineData("007", "Gt", "6", true)]
    [InlineData(" 7", "Gt", "6", false)]
    [InlineData("9223372036854775807", "Gt", "0", true)]
    [InlineData("1e3", "Gt", "0", false)]
    public void Matches_GtLt_IntegersOnly(string label, string @operator, string value, bool expected)
    {
        var requirement = new NodeSelectorRequirement { Key = "cores", Operator = @operator, Values = { value } };

        Assert.Equal(expected, NodeSelectorRequirements.Matches(requirement, new Dictionary<string, string> { ["cores"] = label }));
    }

    [Fact]
    public void MatchesField_MetadataName_ComparesTheName()
    {
        var requirement = new NodeSelectorRequirement { Key = "metadata.name", Operator = "In", Values = { "n1" } };

        Assert.True(NodeSelectorRequirements.MatchesField(requirement, "n1"));
        Assert.False(NodeSelectorRequirements.MatchesField(requirement, "n2"));
    }
}
