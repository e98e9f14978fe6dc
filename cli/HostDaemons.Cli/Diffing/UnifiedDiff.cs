using System.Globalization;
using System.Text;

namespace HostDaemons.Cli.Diffing;

/// <summary>
/// GNU <c>diff -u</c>'s output for two texts: the <c>---</c>/<c>+++</c> lines, then hunks of changes with
/// <see cref="DefaultContext"/> lines of context, hunks closer than twice that merged into one, as
/// <c>@@ -start,count +start,count @@</c> (a count of 1 left out; an empty range starting at the line before it).
/// </summary>
internal static class UnifiedDiff
{
    public const int DefaultContext = 3;

    private const string NoNewline = "\n\\ No newline at end of file";

    /// <summary>The diff, or "" when the texts are equal.</summary>
    public static string Format(string oldLabel, string newLabel, string oldText, string newText, int context = DefaultContext)
    {
        var oldLines = Lines(oldText);
        var newLines = Lines(newText);
        var edits = LineDiff.Compute(oldLines, newLines);
        if (edits.All(e => e.Kind == EditKind.Equal))
        {
            return "";
        }

        var text = new StringBuilder();
        text.Append("--- ").Append(oldLabel).Append('\n');
        text.Append("+++ ").Append(newLabel).Append('\n');
        foreach (var (start, end) in Hunks(edits, context))
        {
            AppendHunk(text, edits, start, end, oldLines, newLines);
        }

        return text.ToString();
    }

    /// <summary>The lines of a text; a last line without its newline carries diff's marker, so it differs from one with it.</summary>
    private static List<string> Lines(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var lines = text.Split('\n').ToList();
        if (lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        else
        {
            lines[^1] += NoNewline;
        }

        return lines;
    }

    /// <summary>The ranges of the edit script each hunk covers: its changes with their context.</summary>
    private static List<(int Start, int End)> Hunks(IReadOnlyList<Edit> edits, int context)
    {
        var hunks = new List<(int Start, int End)>();
        var i = 0;
        while (i < edits.Count)
        {
            if (edits[i].Kind == EditKind.Equal)
            {
                i++;
                continue;
            }

            var start = Math.Max(0, i - context);
            if (hunks.Count > 0 && start <= hunks[^1].End)
            {
                start = hunks[^1].Start;
                hunks.RemoveAt(hunks.Count - 1);
            }

            // The change, then its context: up to the next change when it is within twice the context.
            var end = i;
            while (end < edits.Count)
            {
                while (end < edits.Count && edits[end].Kind != EditKind.Equal)
                {
                    end++;
                }

                var equal = 0;
                while (end + equal < edits.Count && edits[end + equal].Kind == EditKind.Equal)
                {
                    equal++;
                }

                if (end + equal < edits.Count && equal <= 2 * context)
                {
                    end += equal;
                    continue;
                }

                end += Math.Min(equal, context);
                break;
            }

            hunks.Add((start, end));
            i = end;
        }

        return hunks;
    }

    private static void AppendHunk(StringBuilder text, IReadOnlyList<Edit> edits, int start, int end, List<string> oldLines, List<string> newLines)
    {
        // The first old and new line of the hunk: where its first edit stands in each text.
        int oldStart = 0, newStart = 0;
        for (var i = 0; i < start; i++)
        {
            oldStart += edits[i].Kind == EditKind.Insert ? 0 : 1;
            newStart += edits[i].Kind == EditKind.Delete ? 0 : 1;
        }

        var oldCount = 0;
        var newCount = 0;
        for (var i = start; i < end; i++)
        {
            oldCount += edits[i].Kind == EditKind.Insert ? 0 : 1;
            newCount += edits[i].Kind == EditKind.Delete ? 0 : 1;
        }

        text.Append("@@ -").Append(Range(oldStart, oldCount)).Append(" +").Append(Range(newStart, newCount)).Append(" @@\n");
        for (var i = start; i < end; i++)
        {
            var edit = edits[i];
            var (prefix, line) = edit.Kind switch
            {
                EditKind.Equal => (' ', oldLines[edit.OldIndex]),
                EditKind.Delete => ('-', oldLines[edit.OldIndex]),
                _ => ('+', newLines[edit.NewIndex]),
            };
            text.Append(prefix).Append(line).Append('\n');
        }
    }

    /// <summary><c>start,count</c> with 1-based start; <c>start</c> alone for one line; the line before for none.</summary>
    private static string Range(int zeroBasedStart, int count) => count switch
    {
        0 => string.Create(CultureInfo.InvariantCulture, $"{zeroBasedStart},0"),
        1 => (zeroBasedStart + 1).ToString(CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"{zeroBasedStart + 1},{count}"),
    };
}
