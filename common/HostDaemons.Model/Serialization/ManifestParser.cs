using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace HostDaemons.Model.Serialization;

/// <summary>
/// Reads a YAML (or JSON, which YAML contains) stream into position-carrying trees, one per document.
/// A syntax error keeps what was read before it, so errors in the part that parsed can still be reported. A document
/// over <see cref="InputLimits.MaxDocumentBytes"/>, or whose aliases amplify it (<see cref="AliasBudget"/>), ends the
/// stream with an error at the place it was found and no tree: aliases are never expanded here, but what reads the
/// tree would expand them.
/// </summary>
public static class ManifestParser
{
    public static IReadOnlyList<ManifestDocument> Parse(string text)
    {
        var documents = new List<ManifestDocument>();
        var parser = new Parser(new StringReader(text));
        var builder = new TreeBuilder();
        var last = new SourcePosition(1, 1);
        var documentStart = 0L;
        try
        {
            while (parser.MoveNext())
            {
                if (parser.Current is { } current)
                {
                    last = new SourcePosition((int)Math.Max(1, current.Start.Line), (int)Math.Max(1, current.Start.Column));
                    if (current.End.Index - documentStart > InputLimits.MaxDocumentBytes && !(current is DocumentStart or StreamEnd))
                    {
                        throw new BudgetExceededException(new SourcePosition(builder.DocumentLine, 1),
                            $"the document is larger than the {InputLimits.MaxDocumentBytes} bytes a document may have");
                    }
                }

                switch (parser.Current)
                {
                    case DocumentStart start:
                        builder.BeginDocument(start.Start.Line);
                        documentStart = start.Start.Index;
                        break;
                    case DocumentEnd:
                        documents.Add(new ManifestDocument(builder.EndDocument(), builder.DocumentLine, null));
                        break;
                    case ParsingEvent e:
                        builder.Accept(e);
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            var position = new SourcePosition(Math.Max(1, (int)ex.Start.Line), Math.Max(1, (int)ex.Start.Column));
            var (at, message) = DescribeSyntaxError(ex, text, position);
            var error = new ManifestError(at, "YAML syntax error: " + message);
            documents.Add(new ManifestDocument(builder.EndDocument(), builder.DocumentLine, error));
        }
        catch (BudgetExceededException ex)
        {
            builder.EndDocument();
            documents.Add(new ManifestDocument(null, builder.DocumentLine, new ManifestError(ex.Position, ex.Message)));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner can fail this way inside an unclosed flow collection ('[' or '{').
            var error = new ManifestError(last, "YAML syntax error: a '[' or '{' opened here is never closed");
            documents.Add(new ManifestDocument(builder.EndDocument(), builder.DocumentLine, error));
        }

        return documents;
    }

    private static (SourcePosition Position, string Message) DescribeSyntaxError(YamlException ex, string text, SourcePosition position)
    {
        var message = ex.Message.TrimEnd('.');
        var inner = ex.InnerException?.Message.TrimEnd('.');
        if (!string.IsNullOrEmpty(inner) && !message.Contains(inner, StringComparison.Ordinal))
        {
            message = $"{message}: {inner}";
        }

        // A key without its ':' is reported on a later line; name the text that lacks the colon instead.
        if (message.Contains("':'", StringComparison.Ordinal) || message.Contains("mapping", StringComparison.Ordinal))
        {
            var lines = text.Split('\n');
            for (var i = Math.Min(position.Line, lines.Length) - 1; i >= Math.Max(0, position.Line - 4); i--)
            {
                var line = lines[i].Trim();
                if (line.Length > 0 && !line.StartsWith('#') && !line.StartsWith('-') && !line.Contains(':', StringComparison.Ordinal))
                {
                    var column = lines[i].Length - lines[i].TrimStart().Length + 1;
                    return (new SourcePosition(i + 1, column), $"\"{line}\" is not a \"key: value\" pair (a missing ':'?)");
                }
            }
        }

        return (position, message);
    }

    private sealed class TreeBuilder
    {
        private readonly Stack<Frame> _stack = new();
        private readonly Dictionary<string, Sized> _anchors = new(StringComparer.Ordinal);
        private readonly AliasBudget _budget = new();
        private ManifestNode? _root;

        public int DocumentLine { get; private set; } = 1;

        public void BeginDocument(long line)
        {
            _stack.Clear();
            _anchors.Clear();
            _budget.Reset();
            _root = null;
            DocumentLine = (int)Math.Max(1, line);
        }

        public ManifestNode? EndDocument()
        {
            // Close whatever a syntax error left open, so the partial tree can still be checked.
            while (_stack.Count > 0)
            {
                var frame = _stack.Pop();
                Add(new Sized(frame.Build(), frame.Nodes, frame.Bytes));
            }

            var root = _root;
            _root = null;
            return root;
        }

        public void Accept(ParsingEvent e)
        {
            switch (e)
            {
                case Scalar scalar:
                    Spend(_budget.Node(scalar.Value.Length), scalar);
                    var node = new Sized(new ScalarNode(Position(scalar), scalar.Value, scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty), 1, scalar.Value.Length);
                    Remember(scalar.Anchor, node);
                    Add(node);
                    break;
                case SequenceStart seq:
                    Spend(_budget.Node(0), seq);
                    _stack.Push(new Frame(Position(seq), isMapping: false, seq.Anchor));
                    break;
                case MappingStart map:
                    Spend(_budget.Node(0), map);
                    _stack.Push(new Frame(Position(map), isMapping: true, map.Anchor));
                    break;
                case SequenceEnd or MappingEnd:
                    var frame = _stack.Pop();
                    var built = new Sized(frame.Build(), frame.Nodes, frame.Bytes);
                    Remember(frame.Anchor, built);
                    Add(built);
                    break;
                case AnchorAlias alias:
                    if (_anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        Spend(_budget.Alias(target.Nodes, target.Bytes), alias);
                        Add(target);
                    }
                    else
                    {
                        Add(new Sized(new ScalarNode(Position(alias), null, IsPlain: true), 1, 0));
                    }

                    break;
            }
        }

        private static void Spend(string? refusal, ParsingEvent at)
        {
            if (refusal is not null)
            {
                throw new BudgetExceededException(Position(at), refusal);
            }
        }

        private void Remember(AnchorName anchor, Sized node)
        {
            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = node;
            }
        }

        private void Add(Sized node)
        {
            if (_stack.Count == 0)
            {
                _root ??= node.Node;
                return;
            }

            _stack.Peek().Add(node);
        }

        private static SourcePosition Position(ParsingEvent e) => new((int)Math.Max(1, e.Start.Line), (int)Math.Max(1, e.Start.Column));
    }

    /// <summary>A node with what it expands to: its nodes (itself included) and its scalars' characters.</summary>
    private readonly record struct Sized(ManifestNode Node, long Nodes, long Bytes);

    private sealed class BudgetExceededException(SourcePosition position, string message) : Exception(message)
    {
        public SourcePosition Position { get; } = position;
    }

    private sealed class Frame(SourcePosition position, bool isMapping, AnchorName anchor)
    {
        private readonly List<ManifestNode> _items = [];

        public AnchorName Anchor { get; } = anchor;

        public long Nodes { get; private set; } = 1;

        public long Bytes { get; private set; }

        public void Add(Sized node)
        {
            _items.Add(node.Node);
            Nodes += node.Nodes;
            Bytes += node.Bytes;
        }

        public ManifestNode Build()
        {
            if (!isMapping)
            {
                return new SequenceNode(position, _items.ToArray());
            }

            var entries = new List<MappingEntry>(_items.Count / 2);
            for (var i = 0; i + 1 < _items.Count; i += 2)
            {
                var key = _items[i] as ScalarNode;
                entries.Add(new MappingEntry(key?.Value ?? "", _items[i].Position, _items[i + 1]));
            }

            // A key whose value the syntax error cut off still counts, so it can be checked.
            if (_items.Count % 2 == 1 && _items[^1] is ScalarNode dangling)
            {
                entries.Add(new MappingEntry(dangling.Value ?? "", dangling.Position, new ScalarNode(dangling.Position, null, IsPlain: true)));
            }

            return new MappingNode(position, entries);
        }
    }
}
