using HostDaemons.Cli.Printing;

namespace HostDaemons.Cli.Tests.Printing;

public sealed class TableWriterTests
{
    private static string Write(params string[][] rows)
    {
        var table = new TableWriter();
        foreach (var row in rows)
        {
            table.AddRow(row);
        }

        using var output = new StringWriter { NewLine = "\n" };
        table.WriteTo(output);
        return output.ToString();
    }

    [Fact]
    public void WriteTo_Columns_PaddedToWidestCellPlusThree()
    {
        var text = Write(["NAME", "READY", "STATUS"], ["ssd-monitor-abcde", "1/1", "Running"]);

        Assert.Equal(
            "NAME                READY   STATUS\n" +
            "ssd-monitor-abcde   1/1     Running\n", text);
    }

    [Fact]
    public void WriteTo_ShortColumns_AtLeastSixWide()
    {
        var text = Write(["A", "B", "C"], ["x", "y", "z"]);

        Assert.Equal("A     B     C\nx     y     z\n", text);
    }

    [Fact]
    public void WriteTo_CellOfExactlyThree_ReachesMinimumWidth()
    {
        Assert.Equal("abc   d\n", Write(["abc", "d"]));
        Assert.Equal("abcd   e\n", Write(["abcd", "e"]));
    }

    [Fact]
    public void WriteTo_LastColumn_IsNotPaddedEvenWhenWide()
    {
        var text = Write(["NAME", "SELECTOR"], ["a", "app=very-long-selector-value"], ["b", "x"]);

        Assert.Equal("NAME   SELECTOR\na      app=very-long-selector-value\nb      x\n", text);
    }

    [Fact]
    public void WriteTo_EmptyLastCell_NoTrailingSpaces()
    {
        var text = Write(["NAME", "VERSION"], ["node-1", ""]);

        Assert.Equal("NAME     VERSION\nnode-1\n", text);
    }

    [Fact]
    public void WriteTo_KubectlDaemonSetTable_MatchesKubectlLayout()
    {
        var text = Write(
            ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
            ["ssd-monitor", "2", "2", "2", "2", "2", "disk=ssd", "5m"]);

        Assert.Equal(
            "NAME          DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\n" +
            "ssd-monitor   2         2         2       2            2           disk=ssd        5m\n", text);
    }

    [Fact]
    public void WriteTo_NoRows_WritesNothing()
    {
        Assert.Equal("", Write());
        Assert.Equal(0, new TableWriter().Count);
    }

    [Fact]
    public void Count_CountsRows()
    {
        var table = new TableWriter();
        table.AddRow("a");
        table.AddRow("b");

        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void WriteTo_SingleColumn_IsUnpadded()
    {
        Assert.Equal("NAME\nlong-name-here\n", Write(["NAME"], ["long-name-here"]));
    }

    [Fact]
    public void WriteTo_RowsWrittenLater_LineUpWithEarlierColumns()
    {
        var table = new TableWriter();
        using var output = new StringWriter();
        table.AddRow("NAME", "STATUS", "AGE");
        table.AddRow("a-rather-long-name", "Running", "5s");
        table.WriteTo(output);

        table.AddRow("short", "Terminating", "6s");
        table.WriteTo(output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines[0].IndexOf("STATUS", StringComparison.Ordinal), lines[2].IndexOf("Terminating", StringComparison.Ordinal));
    }
}
