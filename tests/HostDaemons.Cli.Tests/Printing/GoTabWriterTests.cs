using HostDaemons.Cli.Printing;

namespace HostDaemons.Cli.Tests.Printing;

/// <summary>Expected texts are what Go's text/tabwriter writes for the same input and settings.</summary>
public sealed class GoTabWriterTests
{
    private static string Format(string text, int minWidth = 0, int tabWidth = 8, int padding = 2, char padChar = ' ')
    {
        var writer = new GoTabWriter(minWidth, tabWidth, padding, padChar);
        writer.Write(text);
        return writer.ToString();
    }

    [Fact]
    public void ToString_TabPadding_MatchesGoPackageExample()
    {
        // Go's Example_trailingTab settings without the trailing tab: tabs pad each cell to the next multiple of 8.
        var text = Format("a\tb\tc\td\t.\n123\t12345\t1234567\t123456789\t.\n", padding: 0, padChar: '\t');

        Assert.Equal("a\tb\tc\td\t\t.\n123\t12345\t1234567\t123456789\t.\n", text);
    }

    [Fact]
    public void ToString_LinesWithFewerCells_EndTheColumnBlock()
    {
        // Go's Example_elastic, left-aligned: the b's and the d's are in different column blocks, because the line
        // between them has no cell in the second column.
        var text = Format("a\tb\tc\naa\tbb\tcc\naaa\t\naaaa\tdddd\teeee\n", padding: 1, padChar: '.');

        Assert.Equal("a....b..c\naa...bb.cc\naaa..\naaaa.dddd.eeee\n", text);
    }

    [Fact]
    public void ToString_LineWithoutTab_SeparatesBlocks()
    {
        var text = Format("Name:\tx\nNamespace:\tdefault\nContainers:\n  c:\n    Image:\tbusybox\n");

        Assert.Equal(
            "Name:       x\n" +
            "Namespace:  default\n" +
            "Containers:\n" +
            "  c:\n" +
            "    Image:  busybox\n", text);
    }

    [Fact]
    public void ToString_EmptyFirstCells_ContinueTheBlock()
    {
        var text = Format("Labels:\tapp=x\n\tzone=a\nStatus:\tRunning\n");

        Assert.Equal(
            "Labels:  app=x\n" +
            "         zone=a\n" +
            "Status:  Running\n", text);
    }

    [Fact]
    public void ToString_EmptyLastCellAfterTab_LeavesThePadding()
    {
        Assert.Equal("    Path:          /var/log\n    HostPathType:  \n", Format("    Path:\t/var/log\n    HostPathType:\t\n"));
    }

    [Fact]
    public void ToString_EmptyColumn_IsPaddingWide()
    {
        var text = Format("Name\t\tCPU\tAge\nssd-monitor-x7k2p\t\t100m\t5m\n");

        Assert.Equal(
            "Name                 CPU   Age\n" +
            "ssd-monitor-x7k2p    100m  5m\n", text);
    }

    [Fact]
    public void ToString_CellTrailingSpace_CountsInTheWidth()
    {
        var text = Format("  Type\tStatus\n  Initialized \tTrue \n  Ready \tTrue \n");

        Assert.Equal(
            "  Type          Status\n" +
            "  Initialized   True \n" +
            "  Ready         True \n", text);
    }

    [Fact]
    public void ToString_WidthCountsRunesNotUtf16Units()
    {
        Assert.Equal("😀   x\nab  y\n", Format("😀\tx\nab\ty\n"));
    }

    [Fact]
    public void ToString_UnterminatedLastLine_WrittenWithoutNewline()
    {
        Assert.Equal("a    b\nccc  d", Format("a\tb\nccc\td"));
    }

    [Fact]
    public void ToString_NoTabs_TextUnchanged()
    {
        Assert.Equal("plain\ntext\n", Format("plain\ntext\n"));
        Assert.Equal("", Format(""));
    }

    [Fact]
    public void ToString_MinimumWidthAndPadding_AsKubectlGet()
    {
        Assert.Equal("A     B     C\nx     y     z\n", Format("A\tB\tC\nx\ty\tz\n", minWidth: 6, padding: 3));
        Assert.Equal("NAME       AGE\nlong-name  5m\n", Format("NAME\tAGE\nlong-name\t5m\n", minWidth: 6));
    }

    [Fact]
    public void Flush_EndsColumnBlocks_LaterLinesAlignApart()
    {
        var writer = GoTabWriter.ForDescribe();
        writer.Write("a\tb\n");
        writer.Flush();
        writer.Write("long\tc\n");

        Assert.Equal("a  b\nlong  c\n", writer.ToString());
    }

    [Fact]
    public void ToString_FormFeed_EndsBlocksLikeAFlush()
    {
        Assert.Equal("a  b\nlong  c\n", Format("a\tb\flong\tc\n"));
    }

    [Fact]
    public void ToString_WritesInPieces_SameAsOneWrite()
    {
        var writer = GoTabWriter.ForDescribe();
        writer.Write("Labels:\t");
        writer.Write("app=x\n");
        writer.Write("\t");
        writer.Write("zone=a\n");

        Assert.Equal("Labels:  app=x\n         zone=a\n", writer.ToString());
    }
}
