namespace HostDaemons.Cli.Printing;

/// <summary>kubectl describe's prefix writer: each level indents two spaces; the text goes through a Go tab writer.</summary>
internal sealed class DescribeWriter
{
    private readonly GoTabWriter _tabs = GoTabWriter.ForDescribe();

    /// <summary>Writes <paramref name="text"/> (tabs separate cells) indented by <paramref name="level"/> levels.</summary>
    public void Write(int level, string text) => _tabs.Write(Escape(new string(' ', 2 * level) + text));

    /// <summary>Writes text and a newline with no indentation, as kubectl's <c>WriteLine</c>.</summary>
    public void WriteLine(string text) => _tabs.Write(Escape(text + "\n"));

    /// <summary>Ends the column blocks written so far.</summary>
    public void Flush() => _tabs.Flush();

    public override string ToString() => _tabs.ToString();

    /// <summary>
    /// Event messages, labels and annotations come from others: as kubectl's WriteEscaped, an escape character or carriage
    /// return in them is shown, not sent to the terminal.
    /// </summary>
    private static string Escape(string text) =>
        text.Replace("\u001b", "^[", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
}
