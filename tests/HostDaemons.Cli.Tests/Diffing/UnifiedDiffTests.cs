using HostDaemons.Cli.Diffing;

namespace HostDaemons.Cli.Tests.Diffing;

public sealed class UnifiedDiffTests
{
    /// <summary>Lines 1..count, each its number, newline-terminated, with the given lines replaced.</summary>
    private static string Numbers(int count, params (int Line, string Text)[] changes) =>
        string.Concat(Enumerable.Range(1, count).Select(i => (changes.FirstOrDefault(c => c.Line == i).Text ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture)) + "\n"));

    private static string Diff(string oldText, string newText) => UnifiedDiff.Format("a", "b", oldText, newText);

    [Fact]
    public void Format_EqualTexts_Empty()
    {
        Assert.Equal("", Diff("x\ny\n", "x\ny\n"));
    }

    [Fact]
    public void Format_OneChange_HeadersAndThreeLinesOfContext()
    {
        Assert.Equal(
            "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n",
            Diff(Numbers(10), Numbers(10, (5, "five"))));
    }

    [Fact]
    public void Format_ChangesFarApart_TwoHunks()
    {
        Assert.Equal(
            "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n@@ -9,7 +9,7 @@\n 9\n 10\n 11\n-12\n+twelve\n 13\n 14\n 15\n",
            Diff(Numbers(15), Numbers(15, (1, "one"), (12, "twelve"))));
    }

    [Fact]
    public void Format_ChangesSixLinesApart_OneHunk()
    {
        var diff = Diff(Numbers(20), Numbers(20, (5, "five"), (12, "twelve")));

        Assert.Single(diff.Split('\n'), l => l.StartsWith("@@", StringComparison.Ordinal));
        Assert.Contains("@@ -2,14 +2,14 @@\n", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_ChangesSevenLinesApart_TwoHunks()
    {
        var diff = Diff(Numbers(20), Numbers(20, (5, "five"), (13, "thirteen")));

        Assert.Equal(["@@ -2,7 +2,7 @@", "@@ -10,7 +10,7 @@"], diff.Split('\n').Where(l => l.StartsWith("@@", StringComparison.Ordinal)));
    }

    [Fact]
    public void Format_FromEmpty_RangeZeroZero()
    {
        Assert.Equal("--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n", Diff("", "a\nb\n"));
    }

    [Fact]
    public void Format_ToEmpty_NewRangeZeroZero()
    {
        Assert.Equal("--- a\n+++ b\n@@ -1,2 +0,0 @@\n-a\n-b\n", Diff("a\nb\n", ""));
    }

    [Fact]
    public void Format_OneLineRanges_CountLeftOut()
    {
        Assert.Equal("--- a\n+++ b\n@@ -1 +1 @@\n-a\n+b\n", Diff("a\n", "b\n"));
    }

    [Fact]
    public void Format_InsertionAtTheEnd_ContextBeforeOnly()
    {
        Assert.Equal("--- a\n+++ b\n@@ -3,3 +3,4 @@\n 3\n 4\n 5\n+6\n", Diff(Numbers(5), Numbers(6)));
    }

    [Fact]
    public void Format_DeletionAtTheStart_ContextAfterOnly()
    {
        Assert.Equal("--- a\n+++ b\n@@ -1,4 +1,3 @@\n-1\n 2\n 3\n 4\n", Diff(Numbers(5), "2\n3\n4\n5\n"));
    }

    [Fact]
    public void Format_InsertionInAnEmptyRange_StartsAtTheLineBefore()
    {
        Assert.Equal("--- a\n+++ b\n@@ -2,0 +3 @@\n+x\n", UnifiedDiff.Format("a", "b", "1\n2\n", "1\n2\nx\n", context: 0));
    }

    [Fact]
    public void Format_MissingFinalNewline_MarkedAsDiffMarksIt()
    {
        Assert.Equal("--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n", Diff("a\nb", "a\nb\n"));
    }
}
