using HostDaemons.Model.Serialization;

namespace HostDaemons.Model.Tests.Serialization;

public sealed class SuggestionsTests
{
    private static readonly string[] s_containerFields = ["name", "image", "imagePullPolicy", "command", "args", "workingDir", "env", "resources", "volumeMounts"];
    private static readonly string[] s_topLevel = ["apiVersion", "kind", "metadata", "spec", "status"];

    [Theory]
    [InlineData("imgae", "image")]
    [InlineData("imag", "image")]
    [InlineData("imagee", "image")]
    [InlineData("comand", "command")]
    [InlineData("volumeMount", "volumeMounts")]
    [InlineData("volumemounts", "volumeMounts")]
    [InlineData("VOLUMEMOUNTS", "volumeMounts")]
    [InlineData("imagePulPolicy", "imagePullPolicy")]
    [InlineData("wrokingDir", "workingDir")]
    [InlineData("resoruces", "resources")]
    public void Closest_TypoOrTransposition_SuggestsField(string input, string expected)
    {
        Assert.Equal(expected, Suggestions.Closest(input, s_containerFields));
    }

    [Theory]
    [InlineData("piVersion", "apiVersion")]
    [InlineData("cind", "kind")]
    [InlineData("netadata", "metadata")]
    [InlineData("sepc", "spec")]
    [InlineData("apiversion", "apiVersion")]
    public void Closest_TopLevelTypos_SuggestsField(string input, string expected)
    {
        Assert.Equal(expected, Suggestions.Closest(input, s_topLevel));
    }

    [Theory]
    [InlineData("completelyDifferent")]
    [InlineData("xyz")]
    [InlineData("hostname")]
    public void Closest_NothingClose_ReturnsNull(string input)
    {
        Assert.Null(Suggestions.Closest(input, s_containerFields));
    }

    [Fact]
    public void Closest_NoCandidates_ReturnsNull()
    {
        Assert.Null(Suggestions.Closest("image", []));
    }

    [Fact]
    public void Closest_ShortWordWithTwoEdits_ReturnsNull()
    {
        Assert.Null(Suggestions.Closest("ks", ["kind"]));
    }

    [Fact]
    public void Closest_ExactMatchIgnoringCase_WinsOverEarlierNearMatch()
    {
        Assert.Equal("Spec", Suggestions.Closest("spec", ["spek", "Spec"]));
    }
}
