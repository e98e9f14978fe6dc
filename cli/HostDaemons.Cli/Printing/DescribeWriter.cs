namespace HostDaemons.Cli.Printing;

/// <summary>kubectl describe's prefix writer: each level indents two spaces; the text goes through a Go tab writer.</summary>
internal sealed class DescribeWriter
{
    private readonly GoTabWriter _tabs = GoTabWriter.ForDescribe();

    /// <summary>Writes <paramref name="text"/> (tabs separate cells) indented by <paramref name="level"/> levels.</summary>
    public void Write(int level, string text) => _tabs.Write(new string(' ', 2 * level) + text);

    /// <summary>Writes text and a newline with no indentation, as kubectl's <c>WriteLine</c>.</summary>
    public void WriteLine(string text) => _tabs.Write(text + "\n");

    /// <summary>Ends the column blocks written so far.</summary>
    public void Flush() => _tabs.Flush();

    public override string ToString() => _tabs.ToString();
}
