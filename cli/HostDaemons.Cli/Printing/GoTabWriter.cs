using System.Text;

namespace HostDaemons.Cli.Printing;

/// <summary>
/// Go's <c>text/tabwriter</c> (elastic tabstops), as <c>kubectl describe</c> uses it. Text is cut into cells at
/// tabs; a column block is a run of consecutive lines that have a cell in that column, and every cell of a block is
/// padded to the widest cell plus <c>padding</c> (at least <c>minWidth</c>). The text after a line's last tab is
/// not part of any column and is never padded. Widths are counted in Unicode scalar values, as Go counts runes.
/// </summary>
internal sealed class GoTabWriter(int minWidth, int tabWidth, int padding, char padChar)
{
    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _output = new();

    /// <summary>kubectl describe's writer: <c>tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)</c>.</summary>
    public static GoTabWriter ForDescribe() => new(minWidth: 0, tabWidth: 8, padding: 2, padChar: ' ');

    public void Write(string text) => _pending.Append(text);

    /// <summary>Formats everything written so far; later text starts new column blocks.</summary>
    public void Flush()
    {
        var lines = new List<List<string>>();
        var line = new List<string>();
        var cell = new StringBuilder();
        var text = _pending.ToString();
        _pending.Clear();
        foreach (var c in text)
        {
            switch (c)
            {
                case '\t' or '\v':
                    line.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\n' or '\f':
                    line.Add(cell.ToString());
                    cell.Clear();
                    lines.Add(line);
                    line = [];
                    if (c == '\f')
                    {
                        // A form feed ends every column block, as a flush does.
                        Format(lines, 0, lines.Count, [], lastLineOpen: false);
                        lines.Clear();
                    }

                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }

        // The text after the last newline is an unterminated line: its cells are written, without a newline.
        line.Add(cell.ToString());
        lines.Add(line);
        Format(lines, 0, lines.Count, [], lastLineOpen: true);
    }

    /// <summary>Flushes and returns all formatted text, then starts empty.</summary>
    public override string ToString()
    {
        Flush();
        var result = _output.ToString();
        _output.Clear();
        return result;
    }

    private void Format(List<List<string>> lines, int line0, int line1, List<int> widths, bool lastLineOpen)
    {
        var column = widths.Count;
        for (var current = line0; current < line1; current++)
        {
            if (column >= lines[current].Count - 1)
            {
                continue;
            }

            // A cell in this column starts a block: the lines before it are complete.
            WriteLines(lines, line0, current, widths, lastLineOpen);
            line0 = current;
            var width = minWidth;
            for (; current < line1; current++)
            {
                var cells = lines[current];
                if (column >= cells.Count - 1)
                {
                    break;
                }

                width = Math.Max(width, Width(cells[column]) + padding);
            }

            widths.Add(width);
            Format(lines, line0, current, widths, lastLineOpen);
            widths.RemoveAt(widths.Count - 1);
            line0 = current;
        }

        WriteLines(lines, line0, line1, widths, lastLineOpen);
    }

    private void WriteLines(List<List<string>> lines, int line0, int line1, List<int> widths, bool lastLineOpen)
    {
        for (var i = line0; i < line1; i++)
        {
            var cells = lines[i];
            for (var j = 0; j < cells.Count; j++)
            {
                _output.Append(cells[j]);
                if (j < widths.Count)
                {
                    Pad(Width(cells[j]), widths[j]);
                }
            }

            if (!lastLineOpen || i + 1 < lines.Count)
            {
                _output.Append('\n');
            }
        }
    }

    private void Pad(int textWidth, int cellWidth)
    {
        if (padChar != '\t')
        {
            _output.Append(padChar, cellWidth - textWidth);
            return;
        }

        if (tabWidth == 0)
        {
            return;
        }

        // Tab padding rounds the cell up to a tab stop and writes as many tabs as it takes to reach it.
        cellWidth = (cellWidth + tabWidth - 1) / tabWidth * tabWidth;
        _output.Append('\t', (cellWidth - textWidth + tabWidth - 1) / tabWidth);
    }

    private static int Width(string cell)
    {
        var width = 0;
        foreach (var _ in cell.EnumerateRunes())
        {
            width++;
        }

        return width;
    }
}
