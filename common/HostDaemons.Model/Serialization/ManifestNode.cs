namespace HostDaemons.Model.Serialization;

/// <summary>A YAML or JSON node with the position it came from, so every error can name its line.</summary>
public abstract record ManifestNode(SourcePosition Position);

public sealed record ScalarNode(SourcePosition Position, string? Value, bool IsPlain) : ManifestNode(Position)
{
    /// <summary>A plain <c>~</c>, <c>null</c> or empty scalar.</summary>
    public bool IsNull => IsPlain && (Value is null or "" or "~" or "null" or "Null" or "NULL");
}

public sealed record SequenceNode(SourcePosition Position, IReadOnlyList<ManifestNode> Items) : ManifestNode(Position);

public sealed record MappingNode(SourcePosition Position, IReadOnlyList<MappingEntry> Entries) : ManifestNode(Position)
{
    public ManifestNode? Find(string key) => Entries.FirstOrDefault(e => e.Key == key)?.Value;

    public string? FindString(string key) => Find(key) is ScalarNode { IsNull: false } s ? s.Value : null;
}

public sealed record MappingEntry(string Key, SourcePosition KeyPosition, ManifestNode Value);

/// <summary>A 1-based line and column.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}
