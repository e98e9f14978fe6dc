namespace HostDaemons.Cli.Diffing;

internal enum EditKind
{
    Equal,
    Delete,
    Insert,
}

/// <summary>One step of an edit script: a line kept, deleted from the old text or inserted from the new one.</summary>
/// <param name="Kind">Equal, Delete or Insert.</param>
/// <param name="OldIndex">The 0-based line of the old text (Equal, Delete), else -1.</param>
/// <param name="NewIndex">The 0-based line of the new text (Equal, Insert), else -1.</param>
internal readonly record struct Edit(EditKind Kind, int OldIndex, int NewIndex);

/// <summary>
/// The shortest edit script between two lists of lines: Myers' O(ND) greedy algorithm ("An O(ND) Difference
/// Algorithm and Its Variations", 1986), which GNU diff is built on. Within a change, deletions come first.
/// </summary>
internal static class LineDiff
{
    public static IReadOnlyList<Edit> Compute(IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines)
    {
        var n = oldLines.Count;
        var m = newLines.Count;
        var max = n + m;
        var offset = max + 1;
        var v = new int[(2 * max) + 3];
        var trace = new List<int[]>();
        for (var d = 0; d <= max; d++)
        {
            trace.Add((int[])v.Clone());
            for (var k = -d; k <= d; k += 2)
            {
                // Down (an insertion) from diagonal k+1, or right (a deletion) from k-1: whichever reached further.
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])
                    ? v[offset + k + 1]
                    : v[offset + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && string.Equals(oldLines[x], newLines[y], StringComparison.Ordinal))
                {
                    x++;
                    y++;
                }

                v[offset + k] = x;
                if (x >= n && y >= m)
                {
                    return Backtrack(trace, offset, n, m);
                }
            }
        }

        throw new InvalidOperationException("unreachable: an edit script of at most n + m steps always exists");
    }

    private static List<Edit> Backtrack(List<int[]> trace, int offset, int n, int m)
    {
        var edits = new List<Edit>();
        int x = n, y = m;
        for (var d = trace.Count - 1; d >= 0; d--)
        {
            var v = trace[d];
            var k = x - y;
            var previousK = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? k + 1 : k - 1;
            var previousX = v[offset + previousK];
            var previousY = previousX - previousK;
            while (x > previousX && y > previousY)
            {
                x--;
                y--;
                edits.Add(new Edit(EditKind.Equal, x, y));
            }

            if (d > 0)
            {
                edits.Add(x == previousX ? new Edit(EditKind.Insert, -1, previousY) : new Edit(EditKind.Delete, previousX, -1));
            }

            x = previousX;
            y = previousY;
        }

        edits.Reverse();
        return DeletionsFirst(edits);
    }

    /// <summary>Within each run of changes, the deleted lines first, then the inserted ones, as diff prints a change.</summary>
    private static List<Edit> DeletionsFirst(List<Edit> edits)
    {
        var result = new List<Edit>(edits.Count);
        var i = 0;
        while (i < edits.Count)
        {
            if (edits[i].Kind == EditKind.Equal)
            {
                result.Add(edits[i++]);
                continue;
            }

            var end = i;
            while (end < edits.Count && edits[end].Kind != EditKind.Equal)
            {
                end++;
            }

            var run = edits.GetRange(i, end - i);
            result.AddRange(run.Where(e => e.Kind == EditKind.Delete));
            result.AddRange(run.Where(e => e.Kind == EditKind.Insert));
            i = end;
        }

        return result;
    }
}
