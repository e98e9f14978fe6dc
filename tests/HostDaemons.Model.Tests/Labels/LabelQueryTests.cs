using HostDaemons.Model.Labels;

namespace HostDaemons.Model.Tests.Labels;

public sealed class LabelQueryTests
{
    private static Dictionary<string, string> Labels(string text) =>
        text.Length == 0
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : text.Split(';').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    private static LabelQuery Parse(string text)
    {
        Assert.True(LabelQuery.TryParse(text, out var query, out var error), error);
        Assert.Equal("", error);
        return query;
    }

    [Theory]
    [InlineData("a=b", "a=b", true)]
    [InlineData("a=b", "a=c", false)]
    [InlineData("a=b", "", false)]
    [InlineData("a==b", "a=b", true)]
    [InlineData("a==b", "a=c", false)]
    [InlineData("a!=b", "a=c", true)]
    [InlineData("a!=b", "a=b", false)]
    [InlineData("a!=b", "", true)]
    [InlineData("a in (x,y)", "a=y", true)]
    [InlineData("a in (x,y)", "a=z", false)]
    [InlineData("a in (x,y)", "", false)]
    [InlineData("a in ( x , y )", "a=x", true)]
    [InlineData("a notin (x)", "a=y", true)]
    [InlineData("a notin (x)", "a=x", false)]
    [InlineData("a notin (x)", "", true)]
    [InlineData("a", "a=", true)]
    [InlineData("a", "b=1", false)]
    [InlineData("!a", "b=1", true)]
    [InlineData("!a", "a=1", false)]
    [InlineData("a=", "a=", true)]
    [InlineData("a=", "a=b", false)]
    [InlineData("app.kubernetes.io/name=web", "app.kubernetes.io/name=web", true)]
    [InlineData("a = b", "a=b", true)]
    public void Matches_SingleRequirement_FollowsOperator(string selector, string labels, bool expected)
    {
        Assert.Equal(expected, Parse(selector).Matches(Labels(labels)));
    }

    [Theory]
    [InlineData("a=b,c in (x,y),!d", "a=b;c=y", true)]
    [InlineData("a=b,c in (x,y),!d", "a=b;c=y;d=1", false)]
    [InlineData("a=b,c in (x,y),!d", "a=b;c=z", false)]
    [InlineData("a in (x,y),b notin (z)", "a=x;b=w", true)]
    public void Matches_SeveralRequirements_AllMustHold(string selector, string labels, bool expected)
    {
        Assert.Equal(expected, Parse(selector).Matches(Labels(labels)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(null)]
    public void TryParse_Empty_IsEverything(string? text)
    {
        Assert.True(LabelQuery.TryParse(text, out var query, out _));
        Assert.True(query.IsEverything);
        Assert.True(query.Matches(Labels("a=b")));
    }

    [Fact]
    public void TryParse_Requirement_IsNotEverything()
    {
        Assert.False(Parse("a=b").IsEverything);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("a=b=c")]
    [InlineData("a in x")]
    [InlineData("a in (x")]
    [InlineData("=b")]
    [InlineData("a=b,")]
    [InlineData("a>1")]
    public void TryParse_InvalidSelector_FailsWithRequirementInMessage(string text)
    {
        Assert.False(LabelQuery.TryParse(text, out var query, out var error));
        Assert.StartsWith("unable to parse requirement: ", error, StringComparison.Ordinal);
        Assert.Same(LabelQuery.Everything, query);
    }

    [Fact]
    public void TryParse_InvalidPart_QuotesThatPart()
    {
        Assert.False(LabelQuery.TryParse("a=b,c d", out _, out var error));

        Assert.Equal("unable to parse requirement: \"c d\"", error);
    }
}
