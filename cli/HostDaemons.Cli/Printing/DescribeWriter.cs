namespace HostDaemons.Cli.Printing;

/// <summary>
/// kubectl describe's prefix writer: each level indents two spaces; the text goes through a Go tab writer, or, for
/// the commands that print a description without one (<c>rollout history --revision</c>), keeps its tabs.
/// </summary>
internal sealed class DescribeWriter(bool aligned = true)
{
    private readonly GoTabWriter _tabs = GoTabWriter.ForDescribe();
    private readonly System.Text.StringBuilder _raw = new();

    /// <summary>Writes <paramref name="text"/> (tabs separate cells) indented by <paramref name="level"/> levels.</summary>
    public void Write(int level, string text) => Append(Escape(new string(' ', 2 * level) + text));

    /// <summary>Writes text and a newline with no indentation, as kubectl's <c>WriteLine</c>.</summary>
    public void WriteLine(string text) => Append(Escape(text + "\n"));

    /// <summary>Ends the column blocks written so far.</summary>
    public void Flush()
    {
        if (aligned)
        {
            _tabs.Flush();
        }
    }

    public override string ToString() => aligned ? _tabs.ToString() : _raw.ToString();

    private void Append(string text)
    {
        if (aligned)
        {
            _tabs.Write(text);
        }
        else
        {
            _raw.Append(text);
        }
    }

    /// <summary>
    /// Event messages, labels and annotations come from others: as kubectl's WriteEscaped, an escape character or carriage
    /// return in them is shown, not sent to the terminal.
    /// </summary>
    private static string Escape(string text) =>
        text.Replace("\u001b", "^[", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
}
