using Google.Protobuf;

namespace HostDaemons.Model.Serialization;

/// <summary>The message decoded from a tree, the errors found on the way, and where each field path was written.</summary>
public sealed class DecodeResult<T>(T value, IReadOnlyList<ManifestError> errors, FieldPositions positions)
    where T : IMessage
{
    public T Value { get; } = value;

    public IReadOnlyList<ManifestError> Errors { get; } = errors;

    public FieldPositions Positions { get; } = positions;

    public bool Succeeded => Errors.Count == 0;
}

/// <summary>Field paths (<c>spec.template.spec.containers[0].image</c>) mapped to where they appear in the source.</summary>
public sealed class FieldPositions
{
    private readonly Dictionary<string, SourcePosition> _positions = new(StringComparer.Ordinal);

    public static FieldPositions Empty { get; } = new();

    public void Add(string path, SourcePosition position) => _positions.TryAdd(path, position);

    /// <summary>True when the source wrote this exact path.</summary>
    public bool Contains(string path) => _positions.ContainsKey(path);

    /// <summary>The position of the path or, when it was not written (a missing field), of its nearest written parent.</summary>
    public SourcePosition? Find(string path)
    {
        var current = path;
        while (current.Length > 0)
        {
            if (_positions.TryGetValue(current, out var position))
            {
                return position;
            }

            var cut = Math.Max(current.LastIndexOf('.'), current.LastIndexOf('['));
            if (cut <= 0)
            {
                break;
            }

            current = current[..cut];
        }

        return _positions.TryGetValue("", out var root) ? root : null;
    }
}
