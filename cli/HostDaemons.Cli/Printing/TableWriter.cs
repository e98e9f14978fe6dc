using System.Text;

namespace HostDaemons.Cli.Printing;

/// <summary>
/// kubectl's table layout (Go tabwriter with minimum width 6 and padding 3): columns padded to the widest cell. Widths
/// carry over from one <see cref="WriteTo"/> to the next, so rows printed later by a watch line up with the header.
/// </summary>
internal sealed class TableWriter
{
    private const int MinWidth = 6;
    private const int Padding = 3;

    private readonly List<string[]> _rows = [];
    private int[] _widths = [];

    public void AddRow(params string[] cells) => _rows.Add(cells);

    public int Count => _rows.Count;

    public void WriteTo(TextWriter output)
    {
        if (_rows.Count == 0)
        {
            return;
        }

        var columns = _rows.Max(r => r.Length);
        var widths = new int[Math.Max(columns, _widths.Length)];
        _widths.CopyTo(widths, 0);
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length - 1; i++)
            {
                widths[i] = Math.Max(widths[i], Math.Max(MinWidth, row[i].Length + Padding));
            }
        }

        var line = new StringBuilder();
        foreach (var row in _rows)
        {
            line.Clear();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i]));
            }

            output.WriteLine(line.ToString().TrimEnd());
        }

        _widths = widths;
        _rows.Clear();
    }
}
