using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HostDaemons.ControlPlane.KubeApi.OpenApi;
using HostDaemons.Model.Objects;
using static HostDaemons.ControlPlane.Tests.KubeApi.OpenApi.OpenApiTestDocuments;

namespace HostDaemons.ControlPlane.Tests.KubeApi.OpenApi;

/// <summary>The index and the per group-version documents: what they list, their hashes, their references.</summary>
public sealed class OpenApiDocumentsTests
{
    private static readonly OpenApiDocuments s_documents = Create();

    [Fact]
    public void IndexListsEveryGroupVersionOfTheStoredKindsWithTheHashOfItsDocument()
    {
        var index = JsonNode.Parse(s_documents.Index().Span)!["paths"]!.AsObject();
        var expected = ResourceKinds.All.Select(k => k.Group.Length == 0 ? "api/" + k.ApiVersion : "apis/" + k.ApiVersion)
            .Append("apis/rbac.authorization.k8s.io/v1beta1").Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(expected, index.Select(p => p.Key));
        Assert.Contains("apis/apps/v1", index.Select(p => p.Key));
        Assert.Contains("api/v1", index.Select(p => p.Key));
        Assert.Equal(expected, s_documents.GroupVersionPaths);

        foreach (var (path, entry) in index)
        {
            Assert.True(s_documents.TryGet(path, out var json, out var hash));
            Assert.Equal(Convert.ToHexString(SHA512.HashData(json.Span)), hash);
            Assert.Matches("^[0-9A-F]{128}$", hash);
            Assert.Equal($"/openapi/v3/{path}?hash={hash}", (string?)entry!["serverRelativeURL"]);
        }

        Assert.Equal(Convert.ToHexString(SHA512.HashData(s_documents.Index().Span)), s_documents.IndexHash);
    }

    [Fact]
    public void DeprecatedRbacV1beta1_HasItsOwnDocumentWithTheKindsInThatVersion()
    {
        Assert.True(s_documents.TryGet("apis/rbac.authorization.k8s.io/v1beta1", out var json, out _));
        var document = JsonNode.Parse(json.Span)!;

        var gvk = document["components"]!["schemas"]!.AsObject().Select(s => s.Value!["x-kubernetes-group-version-kind"]?[0])
            .FirstOrDefault(g => (string?)g?["kind"] == "ClusterRoleBinding");
        Assert.Equal("v1beta1", (string?)gvk?["version"]);
        Assert.NotNull(document["paths"]!["/apis/rbac.authorization.k8s.io/v1beta1/clusterrolebindings/{name}"]);
    }

    [Fact]
    public void HashesAreStableAcrossInstances()
    {
        var other = Create();
        Assert.Equal(s_documents.IndexHash, other.IndexHash);
        Assert.True(s_documents.Index().Span.SequenceEqual(other.Index().Span));
        foreach (var path in s_documents.GroupVersionPaths)
        {
            Assert.True(s_documents.TryGet(path, out _, out var first));
            Assert.True(other.TryGet(path, out _, out var second));
            Assert.Equal(first, second);
        }
    }

    [Fact]
    public void UnknownGroupVersionsHaveNoDocument()
    {
        Assert.False(s_documents.TryGet("apis/batch/v1", out var json, out var hash));
        Assert.True(json.IsEmpty);
        Assert.Equal("", hash);
        Assert.False(s_documents.TryGet("/apis/apps/v1", out _, out _));
    }

    [Fact]
    public void EveryReferenceResolvesAndEverySchemaIsReferencedOrAKind()
    {
        foreach (var path in s_documents.GroupVersionPaths)
        {
            var document = Parse(s_documents, path);
            Assert.Equal("3.0.0", (string?)document["openapi"]);
            Assert.NotNull(document["info"]?["title"]);
            var schemas = Schemas(document);
            var refs = Refs(document).ToHashSet(StringComparer.Ordinal);
            Assert.NotEmpty(refs);
            foreach (var reference in refs)
            {
                Assert.StartsWith("#/components/schemas/", reference, StringComparison.Ordinal);
                Assert.True(schemas.ContainsKey(reference["#/components/schemas/".Length..]), $"{path}: {reference} does not resolve");
            }

            foreach (var (name, schema) in schemas)
            {
                Assert.True(refs.Contains("#/components/schemas/" + name) || schema!["x-kubernetes-group-version-kind"] is not null, $"{path}: {name} is not used");
            }
        }
    }

    [Fact]
    public void EachDocumentHoldsOnlyItsGroupVersionsKinds()
    {
        var rbac = Parse(s_documents, "apis/rbac.authorization.k8s.io/v1");
        var kinds = Schemas(rbac).Select(s => s.Value!["x-kubernetes-group-version-kind"]).OfType<JsonArray>()
            .Select(g => (string?)g[0]!["kind"]).Where(k => k is not "Status" and not "WatchEvent").Order(StringComparer.Ordinal);
        Assert.Equal(["ClusterRole", "ClusterRoleBinding", "ClusterRoleBindingList", "ClusterRoleList", "Role", "RoleBinding", "RoleBindingList", "RoleList"], kinds);
        Assert.DoesNotContain(Schemas(rbac), s => s.Key.StartsWith("io.k8s.api.core.v1.", StringComparison.Ordinal));
    }

    [Fact]
    public void DocumentsAreMadeOnceAndServedFromTheSameBytes()
    {
        var documents = Create();
        Assert.True(documents.TryGet("apis/apps/v1", out var first, out _));
        Assert.True(documents.TryGet("apis/apps/v1", out var second, out _));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first, out var a));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(second, out var b));
        Assert.Same(a.Array, b.Array);
    }
}
