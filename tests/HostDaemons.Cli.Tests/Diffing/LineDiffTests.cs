using HostDaemons.Cli.Diffing;

namespace HostDaemons.Cli.Tests.Diffing;

public sealed class LineDiffTests
{
    /// <summary>The script as text: " a" kept, "-a" deleted, "+a" inserted.</summary>
    private static string[] Script(string[] oldLines, string[] newLines) =>
        [.. LineDiff.Compute(oldLines, newLines).Select(e => e.Kind switch
        {
            EditKind.Equal => " " + oldLines[e.OldIndex],
            EditKind.Delete => "-" + oldLines[e.OldIndex],
            _ => "+" + newLines[e.NewIndex],
        })];

    /// <summary>Applying the script to the old lines gives the new ones.</summary>
    private static void AssertTransforms(string[] oldLines, string[] newLines)
    {
        var edits = LineDiff.Compute(oldLines, newLines);
        Assert.Equal(oldLines, edits.Where(e => e.Kind != EditKind.Insert).Select(e => oldLines[e.OldIndex]));
        Assert.Equal(newLines, edits.Where(e => e.Kind != EditKind.Delete).Select(e => newLines[e.NewIndex]));
    }

    [Fact]
    public void Compute_EqualLists_AllEqual()
    {
        Assert.Equal([" a", " b"], Script(["a", "b"], ["a", "b"]));
    }

    [Fact]
    public void Compute_BothEmpty_NoEdits()
    {
        Assert.Empty(LineDiff.Compute([], []));
    }

    [Fact]
    public void Compute_FromNothing_AllInserted()
    {
        Assert.Equal(["+a", "+b"], Script([], ["a", "b"]));
    }

    [Fact]
    public void Compute_ToNothing_AllDeleted()
    {
        Assert.Equal(["-a", "-b"], Script(["a", "b"], []));
    }

    [Fact]
    public void Compute_ChangedLine_DeletionBeforeInsertion()
    {
        Assert.Equal([" a", "-b", "+B", " c"], Script(["a", "b", "c"], ["a", "B", "c"]));
    }

    [Fact]
    public void Compute_MyersPaperExample_ShortestScript()
    {
        string[] a = ["A", "B", "C", "A", "B", "B", "A"];
        string[] b = ["C", "B", "A", "B", "A", "C"];

        var edits = LineDiff.Compute(a, b);

        Assert.Equal(5, edits.Count(e => e.Kind != EditKind.Equal));
        AssertTransforms(a, b);
    }

    [Theory]
    [InlineData("abcdef", "azced")]
    [InlineData("aaaa", "aa")]
    [InlineData("xyz", "zyx")]
    [InlineData("", "q")]
    [InlineData("kitten", "sitting")]
    public void Compute_AnyLists_ScriptTurnsOldIntoNew(string from, string to)
    {
        AssertTransforms([.. from.Select(c => new string(c, 1))], [.. to.Select(c => new string(c, 1))]);
    }
}
