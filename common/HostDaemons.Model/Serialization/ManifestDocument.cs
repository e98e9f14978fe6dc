namespace HostDaemons.Model.Serialization;

/// <summary>One document of a multi-document YAML stream, or the whole of a JSON file.</summary>
/// <param name="Root">The parsed tree; partial when <paramref name="SyntaxError"/> is set.</param>
/// <param name="StartLine">The line the document starts on.</param>
/// <param name="SyntaxError">The YAML syntax error that ended the stream inside this document, if any.</param>
public sealed record ManifestDocument(ManifestNode? Root, int StartLine, ManifestError? SyntaxError);

/// <summary>
/// An error at a place in a manifest: the field path (when known) and its position. An unknown field is still worth
/// reporting when a syntax error cut the document short; other errors of a partial document are not.
/// </summary>
public sealed record ManifestError(SourcePosition Position, string Message, string? FieldPath = null, bool IsUnknownField = false)
{
    public override string ToString() => FieldPath is null ? $"{Position.Line}:{Position.Column}: {Message}" : $"{Position.Line}:{Position.Column}: {FieldPath}: {Message}";
}
