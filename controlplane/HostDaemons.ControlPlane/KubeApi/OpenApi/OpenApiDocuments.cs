using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using HostDaemons.Model.Objects;

namespace HostDaemons.ControlPlane.KubeApi.OpenApi;

/// <summary>
/// HostDaemons' OpenAPI v3 documents: the index served at <c>/openapi/v3</c> and one document per group-version
/// (<c>api/v1</c>, <c>apis/apps/v1</c>), made from the message descriptors of the stored kinds on first use and kept as
/// serialized bytes with their hash (SHA-512, upper-case hex, as kube-apiserver's ETags and <c>?hash=</c> are).
/// </summary>
internal sealed class OpenApiDocuments
{
    private readonly Lazy<Built> _built;

    public OpenApiDocuments(PatchMetadataLookup patchMetadata)
        : this(patchMetadata, ResourceKinds.All, SchemaDescriptions.Embedded)
    {
    }

    internal OpenApiDocuments(PatchMetadataLookup patchMetadata, IReadOnlyList<ResourceKindInfo> kinds, SchemaDescriptions descriptions) =>
        _built = new Lazy<Built>(() => Build(patchMetadata, kinds, descriptions), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The group-version paths that have a document: <c>api/v1</c>, <c>apis/apps/v1</c>, ...</summary>
    public IReadOnlyCollection<string> GroupVersionPaths => _built.Value.Documents.Keys;

    /// <summary>The index: <c>{"paths":{"apis/apps/v1":{"serverRelativeURL":"/openapi/v3/apis/apps/v1?hash=..."}}}</c>.</summary>
    public ReadOnlyMemory<byte> Index() => _built.Value.Index;

    /// <summary>The hash of <see cref="Index"/>, for its ETag.</summary>
    public string IndexHash => _built.Value.IndexHash;

    /// <summary>The document of a group-version path (<c>apis/apps/v1</c>, no leading slash) and its hash; false if there is none.</summary>
    public bool TryGet(string groupVersionPath, out ReadOnlyMemory<byte> json, out string hash)
    {
        if (_built.Value.Documents.TryGetValue(groupVersionPath, out var document))
        {
            (json, hash) = document;
            return true;
        }

        (json, hash) = (default, "");
        return false;
    }

    private static Built Build(PatchMetadataLookup patchMetadata, IReadOnlyList<ResourceKindInfo> kinds, SchemaDescriptions descriptions)
    {
        var documents = new SortedDictionary<string, (ReadOnlyMemory<byte>, string)>(StringComparer.Ordinal);
        var indexPaths = new JsonObject();
        var built = kinds.GroupBy(GroupVersionDocument.PathOf).Select(g => (Path: g.Key, Document: GroupVersionDocument.Build(g, patchMetadata, descriptions))).ToList();
        foreach (var (group, version) in DeprecatedApiVersions.GroupVersions)
        {
            if (kinds.Where(k => k.Group == group).ToList() is { Count: > 0 } aliased)
            {
                built.Add((GroupVersionDocument.PathOf(group, version), GroupVersionDocument.Build(aliased, patchMetadata, descriptions, version)));
            }
        }

        foreach (var (path, document) in built.OrderBy(d => d.Path, StringComparer.Ordinal))
        {
            var bytes = Serialize(document);
            var hash = Hash(bytes);
            documents[path] = (bytes, hash);
            indexPaths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={hash}" };
        }

        var index = Serialize(new JsonObject { ["paths"] = indexPaths });
        return new Built(index, Hash(index), documents);
    }

    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Serialize(JsonObject document)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            document.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA512.HashData(bytes));

    private sealed record Built(ReadOnlyMemory<byte> Index, string IndexHash, SortedDictionary<string, (ReadOnlyMemory<byte> Json, string Hash)> Documents);
}
