using HostDaemons.Agent.Reconcile;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>Kubernetes' <c>$(VAR)</c> expansion (third_party/forked/golang/expansion), case by case.</summary>
public sealed class EnvExpansionTests
{
    private static readonly Dictionary<string, string> s_variables = new(StringComparer.Ordinal)
    {
        ["A"] = "1",
        ["B"] = "2",
        ["EMPTY"] = "",
        ["REF"] = "$(A)",
        ["WITH_SPACE"] = "x y",
    };

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("", "")]
    [InlineData("$(A)", "1")]
    [InlineData("x$(A)y", "x1y")]
    [InlineData("$(A)$(B)", "12")]
    [InlineData("$(A)-$(B)-$(A)", "1-2-1")]
    [InlineData("$(EMPTY)", "")]
    [InlineData("[$(WITH_SPACE)]", "[x y]")]
    public void Expand_KnownVariables_AreReplaced(string input, string expected)
    {
        Assert.Equal(expected, EnvExpansion.Expand(input, s_variables));
    }

    [Theory]
    [InlineData("$$", "$")]
    [InlineData("$$$$", "$$")]
    [InlineData("$$(A)", "$(A)")]
    [InlineData("$$$(A)", "$1")]
    [InlineData("cost: $$5", "cost: $5")]
    public void Expand_DoubleDollar_EscapesOneDollar(string input, string expected)
    {
        Assert.Equal(expected, EnvExpansion.Expand(input, s_variables));
    }

    [Theory]
    [InlineData("$(UNKNOWN)")]
    [InlineData("$(a)")]
    [InlineData("$()")]
    [InlineData("pre $(MISSING) post")]
    [InlineData("$(A $(B)")]
    public void Expand_UnknownNames_StayAsWritten(string input)
    {
        Assert.Equal(input, EnvExpansion.Expand(input, s_variables));
    }

    [Theory]
    [InlineData("$")]
    [InlineData("a$")]
    [InlineData("$A")]
    [InlineData("${A}")]
    [InlineData("$(A")]
    [InlineData("100$ and $ more")]
    public void Expand_DollarNotStartingAReference_IsKept(string input)
    {
        Assert.Equal(input, EnvExpansion.Expand(input, s_variables));
    }

    [Fact]
    public void Expand_UnterminatedReferenceBeforeAReference_KeepsTheFirstAndExpandsNothingInside()
    {
        Assert.Equal("$(A", EnvExpansion.Expand("$(A", s_variables));
        Assert.Equal("$($(A)", EnvExpansion.Expand("$($(A)", s_variables));
    }

    [Fact]
    public void Expand_ValueThatLooksLikeAReference_IsNotExpandedAgain()
    {
        Assert.Equal("$(A)", EnvExpansion.Expand("$(REF)", s_variables));
    }

    [Fact]
    public void Expand_NoVariables_LeavesReferences()
    {
        Assert.Equal("$(A)-$", EnvExpansion.Expand("$(A)-$$", new Dictionary<string, string>()));
    }

    [Fact]
    public void Expand_TextWithoutDollar_ReturnsTheSameString()
    {
        const string input = "no references here";

        Assert.Same(input, EnvExpansion.Expand(input, s_variables));
    }
}
