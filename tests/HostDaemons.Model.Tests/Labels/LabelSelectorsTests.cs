using HostDaemons.Model.Labels;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Labels;

public sealed class LabelSelectorsTests
{
    private static Dictionary<string, string> Labels(params string[] pairs) =>
        pairs.Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    private static LabelSelectorRequirement Requirement(string key, string op, params string[] values)
    {
        var requirement = new LabelSelectorRequirement { Key = key, Operator = op };
        requirement.Values.AddRange(values);
        return requirement;
    }

    [Fact]
    public void Matches_MatchLabelsAllPresent_True()
    {
        var selector = new LabelSelector { MatchLabels = { ["app"] = "x", ["tier"] = "a" } };

        Assert.True(LabelSelectors.Matches(selector, Labels("app=x", "tier=a", "extra=1")));
    }

    [Theory]
    [InlineData("app=y", "tier=a")]
    [InlineData("tier=a")]
    public void Matches_MatchLabelMissingOrDifferent_False(params string[] labels)
    {
        var selector = new LabelSelector { MatchLabels = { ["app"] = "x", ["tier"] = "a" } };

        Assert.False(LabelSelectors.Matches(selector, Labels(labels)));
    }

    [Theory]
    [InlineData("In", new[] { "a", "b" }, "tier=a", true)]
    [InlineData("In", new[] { "a", "b" }, "tier=c", false)]
    [InlineData("In", new[] { "a", "b" }, "other=a", false)]
    [InlineData("NotIn", new[] { "a" }, "tier=b", true)]
    [InlineData("NotIn", new[] { "a" }, "tier=a", false)]
    [InlineData("NotIn", new[] { "a" }, "other=a", true)]
    [InlineData("Exists", new string[0], "tier=", true)]
    [InlineData("Exists", new string[0], "other=a", false)]
    [InlineData("DoesNotExist", new string[0], "other=a", true)]
    [InlineData("DoesNotExist", new string[0], "tier=a", false)]
    [InlineData("Bogus", new[] { "a" }, "tier=a", false)]
    public void Matches_Expression_FollowsOperator(string op, string[] values, string label, bool expected)
    {
        var selector = new LabelSelector { MatchExpressions = { Requirement("tier", op, values) } };

        Assert.Equal(expected, LabelSelectors.Matches(selector, Labels(label)));
    }

    [Fact]
    public void Matches_LabelsAndExpressions_AllMustHold()
    {
        var selector = new LabelSelector
        {
            MatchLabels = { ["app"] = "x" },
            MatchExpressions = { Requirement("tier", "In", "a", "b"), Requirement("gone", "DoesNotExist") },
        };

        Assert.True(LabelSelectors.Matches(selector, Labels("app=x", "tier=b")));
        Assert.False(LabelSelectors.Matches(selector, Labels("app=x", "tier=b", "gone=1")));
        Assert.False(LabelSelectors.Matches(selector, Labels("app=y", "tier=b")));
    }

    [Fact]
    public void Matches_EmptySelector_MatchesEverything()
    {
        Assert.True(LabelSelectors.Matches(new LabelSelector(), Labels("a=b")));
        Assert.True(LabelSelectors.Matches(new LabelSelector(), Labels()));
    }

    [Fact]
    public void IsEmpty_NullOrNothingSet_True()
    {
        Assert.True(LabelSelectors.IsEmpty(null));
        Assert.True(LabelSelectors.IsEmpty(new LabelSelector()));
        Assert.False(LabelSelectors.IsEmpty(new LabelSelector { MatchLabels = { ["a"] = "b" } }));
        Assert.False(LabelSelectors.IsEmpty(new LabelSelector { MatchExpressions = { Requirement("a", "Exists") } }));
    }

    [Fact]
    public void Format_LabelsAndEveryOperator_PrintsAsKubectl()
    {
        var selector = new LabelSelector
        {
            MatchLabels = { ["app"] = "x" },
            MatchExpressions = { Requirement("tier", "In", "b", "a"), Requirement("zone", "DoesNotExist") },
        };

        Assert.Equal("app=x,tier in (a,b),!zone", LabelSelectors.Format(selector));
    }

    [Fact]
    public void Format_NotInAndExists_PrintsAsKubectl()
    {
        var selector = new LabelSelector { MatchExpressions = { Requirement("env", "NotIn", "prod"), Requirement("gpu", "Exists") } };

        Assert.Equal("env notin (prod),gpu", LabelSelectors.Format(selector));
    }

    [Fact]
    public void Format_MatchLabels_SortedByKey()
    {
        var selector = new LabelSelector { MatchLabels = { ["z"] = "1", ["a"] = "2", ["m"] = "3" } };

        Assert.Equal("a=2,m=3,z=1", LabelSelectors.Format(selector));
    }

    [Fact]
    public void Format_RequirementsOfBothKinds_SortedByKeyAsKubectlSortsThem()
    {
        var selector = new LabelSelector
        {
            MatchLabels = { ["zone"] = "eu" },
            MatchExpressions = { Requirement("tier", "In", "b", "a"), Requirement("gone", "DoesNotExist") },
        };
        selector.MatchLabels["app"] = "x";

        Assert.Equal("app=x,!gone,tier in (a,b),zone=eu", LabelSelectors.Format(selector));
    }

    [Fact]
    public void Format_NullOrEmpty_IsNone()
    {
        Assert.Equal("<none>", LabelSelectors.Format(null));
        Assert.Equal("<none>", LabelSelectors.Format(new LabelSelector()));
    }

    [Fact]
    public void FormatLabels_SortedByKey()
    {
        Assert.Equal("a=1,b=2,disk=ssd", LabelSelectors.FormatLabels(Labels("disk=ssd", "b=2", "a=1")));
    }

    [Fact]
    public void FormatLabels_Empty_IsNone()
    {
        Assert.Equal("<none>", LabelSelectors.FormatLabels(Labels()));
    }
}
