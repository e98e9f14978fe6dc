using System.Text;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>A plain text table with a header, columns padded to their widest cell.</summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Select(r => i < r.Length ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder();
        Line(headers);
        foreach (var row in _rows)
        {
            Line(row);
        }

        return text.ToString();

        void Line(string[] cells)
        {
            for (var i = 0; i < headers.Length; i++)
            {
                var cell = i < cells.Length ? cells[i] : "";
                text.Append(i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]));
                text.Append(i < headers.Length - 1 ? "   " : "");
            }

            text.Append('\n');
        }
    }
}
