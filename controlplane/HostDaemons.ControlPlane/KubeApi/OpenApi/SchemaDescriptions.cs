using Google.Protobuf.Reflection;

namespace HostDaemons.ControlPlane.KubeApi.OpenApi;

/// <summary>
/// The descriptions of the schemas and their properties: HostDaemons' own text (<c>descriptions.txt</c>, by
/// <c>Message</c> and <c>Message.jsonName</c>) followed by the comment of the .proto file, when there is one.
/// </summary>
internal sealed class SchemaDescriptions
{
    private const string DescriptionsResource = "HostDaemons.ControlPlane.KubeApi.OpenApi.descriptions.txt";

    private readonly Dictionary<string, string> _own;
    private readonly ProtoComments _comments;

    private SchemaDescriptions(Dictionary<string, string> own, ProtoComments comments) => (_own, _comments) = (own, comments);

    public static SchemaDescriptions Embedded { get; } = Load();

    public static SchemaDescriptions Parse(string descriptions, ProtoComments comments)
    {
        var own = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawLine in descriptions.Split('\n'))
        {
            var line = rawLine.Trim();
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (line.Length == 0 || line.StartsWith('#') || colon < 0)
            {
                continue;
            }

            own[line[..colon]] = line[(colon + 2)..];
        }

        return new SchemaDescriptions(own, comments);
    }

    /// <summary>The keys of HostDaemons' own descriptions: <c>Message</c> or <c>Message.jsonName</c>.</summary>
    public IReadOnlyCollection<string> OwnKeys => _own.Keys;

    public string? For(MessageDescriptor message) => Join(_own.GetValueOrDefault(message.Name), _comments.For(message.FullName));

    public string? For(FieldDescriptor field) =>
        Join(_own.GetValueOrDefault($"{field.ContainingType.Name}.{field.JsonName}"), _comments.For(field.FullName));

    private static string? Join(string? own, string? comment) => (own, comment) switch
    {
        (null, _) => comment,
        (_, null) => own,
        _ => own + " " + comment,
    };

    private static SchemaDescriptions Load()
    {
        using var stream = typeof(SchemaDescriptions).Assembly.GetManifestResourceStream(DescriptionsResource)
            ?? throw new InvalidOperationException($"{DescriptionsResource} is not embedded");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), ProtoComments.Embedded);
    }
}
