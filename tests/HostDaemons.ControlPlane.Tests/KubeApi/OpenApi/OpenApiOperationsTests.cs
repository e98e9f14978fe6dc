using System.Text.Json.Nodes;
using HostDaemons.ControlPlane.KubeApi.OpenApi;
using HostDaemons.Model.Objects;
using static HostDaemons.ControlPlane.Tests.KubeApi.OpenApi.OpenApiTestDocuments;

namespace HostDaemons.ControlPlane.Tests.KubeApi.OpenApi;

/// <summary>The paths and operations, read the ways kubectl 1.32 reads them.</summary>
public sealed class OpenApiOperationsTests
{
    private static readonly OpenApiDocuments s_documents = Create();

    public static TheoryData<string> Kinds => [.. ResourceKinds.All.Select(k => k.KindName)];

    [Fact]
    public void EveryWriteOperationTakesDryRunFieldManagerAndFieldValidation()
    {
        foreach (var path in s_documents.GroupVersionPaths)
        {
            foreach (var (route, method, operation) in Operations(Parse(s_documents, path)).Where(o => o.Method is "post" or "put" or "patch"))
            {
                var names = Parameters(operation);
                Assert.True(names.Contains("fieldValidation"), $"{method} {route} has no fieldValidation");
                Assert.True(names.Contains("dryRun"), $"{method} {route} has no dryRun");
                Assert.True(names.Contains("fieldManager"), $"{method} {route} has no fieldManager");
                Assert.Equal(method == "patch", names.Contains("force"));
            }
        }
    }

    /// <summary>
    /// kubectl's QueryParamVerifierV3 (--validate=strict): the first PATCH operation whose x-kubernetes-group-version-kind
    /// is the kind's decides, by fieldValidation among its own parameters. Any such operation may come first (Go map order).
    /// </summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void KubectlFindsFieldValidationOnEveryPatchOfTheKind(string kindName)
    {
        var kind = ResourceKinds.FindByKindName(kindName)!;
        var version = kind.ApiVersion.Split('/')[^1];
        var document = Parse(s_documents, GroupVersionDocument.PathOf(kind));
        Assert.NotNull(document["paths"]);

        var patches = Operations(document)
            .Where(o => o.Method == "patch" && o.Operation["x-kubernetes-group-version-kind"] is JsonObject gvk
                && (string?)gvk["group"] == kind.Group && (string?)gvk["version"] == version && (string?)gvk["kind"] == kind.KindName)
            .ToList();
        Assert.NotEmpty(patches);
        Assert.All(patches, p => Assert.Contains("fieldValidation", Parameters(p.Operation)));
        Assert.All(patches, p => Assert.Equal("patch", (string?)p.Operation["x-kubernetes-action"]));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void KubectlExplainFindsTheKindFromItsPaths(string kindName)
    {
        var kind = ResourceKinds.FindByKindName(kindName)!;
        var version = kind.ApiVersion.Split('/')[^1];
        var document = Parse(s_documents, GroupVersionDocument.PathOf(kind));
        var prefix = kind.Group.Length == 0 ? "/api" : "/apis/" + kind.Group;

        // explain's template: the first of these paths, then the first of these methods, carrying the GVK.
        string[] searchPaths =
        [
            $"{prefix}/{version}/{kind.Plural}", $"{prefix}/{version}/{kind.Plural}/{{name}}",
            $"{prefix}/{version}/namespaces/{{namespace}}/{kind.Plural}", $"{prefix}/{version}/namespaces/{{namespace}}/{kind.Plural}/{{name}}",
        ];
        var gvk = searchPaths.Select(p => document["paths"]![p]).OfType<JsonObject>()
            .SelectMany(item => new[] { "get", "post", "put", "patch", "delete" }.Select(m => item[m]?["x-kubernetes-group-version-kind"]))
            .OfType<JsonObject>().First();
        Assert.Equal((kind.Group, version, kind.KindName), ((string?)gvk["group"], (string?)gvk["version"], (string?)gvk["kind"]));
        Assert.NotNull(SchemaWithGvk(document, kind.Group, version, kind.KindName));
    }

    [Fact]
    public void KubectlExplainWalksDaemonSetSpecTemplateSpecVolumes()
    {
        var document = Parse(s_documents, "apis/apps/v1");
        var daemonSet = SchemaWithGvk(document, "apps", "v1", "DaemonSet")!;
        var volumes = Explain(document, daemonSet, ["spec", "template", "spec", "volumes"]);
        Assert.NotNull(volumes);
        Assert.Equal("array", (string?)volumes["type"]);
        var volume = Resolve(document, volumes["items"]!.AsObject());
        Assert.Equal(
            ["configMap", "downwardAPI", "emptyDir", "hostPath", "name", "projected", "secret"],
            volume["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["name"], volume["required"]!.AsArray().Select(r => (string?)r));

        Assert.NotNull(Explain(document, daemonSet, ["spec", "template", "spec", "containers", "resources", "limits"]));
        Assert.NotNull(Explain(document, daemonSet, ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"]));
        Assert.Null(Explain(document, daemonSet, ["spec", "template", "spec", "ephemeralContainers"])); // not a HostDaemons field
        Assert.Null(Explain(document, daemonSet, ["spec", "replicas"]));
    }

    [Theory]
    [InlineData("spec", "DaemonSetSpec")]
    [InlineData("spec.template.spec.volumes", "[]Volume")]
    [InlineData("spec.template.spec.containers.resources.limits", "map[string]Quantity")]
    [InlineData("spec.template.spec.containers.ports.containerPort", "integer")]
    [InlineData("spec.template.spec.containers.livenessProbe.httpGet.port", "IntOrString")]
    [InlineData("spec.template.spec.nodeSelector", "map[string]string")]
    [InlineData("spec.template.spec.hostNetwork", "boolean")]
    [InlineData("spec.updateStrategy.rollingUpdate.maxUnavailable", "IntOrString")]
    [InlineData("metadata.creationTimestamp", "string")]
    [InlineData("metadata.ownerReferences", "[]OwnerReference")]
    [InlineData("status.numberReady", "integer")]
    public void KubectlExplainPrintsKubernetesTypes(string fieldPath, string expected)
    {
        var document = Parse(s_documents, "apis/apps/v1");
        var field = Explain(document, SchemaWithGvk(document, "apps", "v1", "DaemonSet")!, fieldPath.Split('.'));
        Assert.NotNull(field);
        Assert.Equal(expected, TypeGuess(document, field));
    }

    [Fact]
    public void NamespacedKindsHaveKubeApiserversPathsAndActions()
    {
        var document = Parse(s_documents, "apis/apps/v1");
        var actions = Operations(document).Where(o => (string?)o.Operation["x-kubernetes-group-version-kind"]?["kind"] == "DaemonSet")
            .Select(o => $"{o.Method} {o.Path} {o.Operation["x-kubernetes-action"]} {o.Operation["operationId"]}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "delete /apis/apps/v1/namespaces/{namespace}/daemonsets deletecollection deleteAppsV1CollectionNamespacedDaemonSet",
                "delete /apis/apps/v1/namespaces/{namespace}/daemonsets/{name} delete deleteAppsV1NamespacedDaemonSet",
                "get /apis/apps/v1/daemonsets list listAppsV1DaemonSetForAllNamespaces",
                "get /apis/apps/v1/namespaces/{namespace}/daemonsets list listAppsV1NamespacedDaemonSet",
                "get /apis/apps/v1/namespaces/{namespace}/daemonsets/{name} get readAppsV1NamespacedDaemonSet",
                "get /apis/apps/v1/namespaces/{namespace}/daemonsets/{name}/status get readAppsV1NamespacedDaemonSetStatus",
                "get /apis/apps/v1/watch/daemonsets watchlist watchAppsV1DaemonSetListForAllNamespaces",
                "get /apis/apps/v1/watch/namespaces/{namespace}/daemonsets watchlist watchAppsV1NamespacedDaemonSetList",
                "get /apis/apps/v1/watch/namespaces/{namespace}/daemonsets/{name} watch watchAppsV1NamespacedDaemonSet",
                "patch /apis/apps/v1/namespaces/{namespace}/daemonsets/{name} patch patchAppsV1NamespacedDaemonSet",
                "patch /apis/apps/v1/namespaces/{namespace}/daemonsets/{name}/status patch patchAppsV1NamespacedDaemonSetStatus",
                "post /apis/apps/v1/namespaces/{namespace}/daemonsets post createAppsV1NamespacedDaemonSet",
                "put /apis/apps/v1/namespaces/{namespace}/daemonsets/{name} put replaceAppsV1NamespacedDaemonSet",
                "put /apis/apps/v1/namespaces/{namespace}/daemonsets/{name}/status put replaceAppsV1NamespacedDaemonSetStatus",
            ],
            actions);

        var item = document["paths"]!["/apis/apps/v1/namespaces/{namespace}/daemonsets/{name}"]!;
        Assert.Equal(["name", "namespace", "pretty"], item["parameters"]!.AsArray().Select(p => (string?)p!["name"]));
        Assert.Equal("#/components/schemas/io.k8s.api.apps.v1.DaemonSet", (string?)item["put"]!["requestBody"]!["content"]!["*/*"]!["schema"]!["$ref"]);
        Assert.Equal(
            ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"],
            item["patch"]!["requestBody"]!["content"]!.AsObject().Select(c => c.Key));
        Assert.Equal(
            "#/components/schemas/io.k8s.api.apps.v1.DaemonSetList",
            (string?)document["paths"]!["/apis/apps/v1/namespaces/{namespace}/daemonsets"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]);
    }

    [Fact]
    public void ClusterScopedKindsHaveNoNamespaceAndOnlyKindsWithStatusHaveTheSubresource()
    {
        var core = Parse(s_documents, "api/v1");
        var paths = core["paths"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("/api/v1/nodes/{name}/status", paths);
        Assert.Contains("/api/v1/namespaces/{name}/status", paths);
        Assert.Contains("/api/v1/namespaces/{namespace}/pods/{name}/status", paths);
        Assert.Contains("/api/v1/namespaces/{namespace}/pods/{name}/log", paths);
        Assert.DoesNotContain("/api/v1/namespaces/{namespace}/configmaps/{name}/status", paths);
        var log = core["paths"]!["/api/v1/namespaces/{namespace}/pods/{name}/log"]!["get"]!;
        Assert.Equal("string", (string?)log["responses"]!["200"]!["content"]!["text/plain"]!["schema"]!["type"]);
        Assert.Contains("tailLines", Parameters(log.AsObject()));
        Assert.DoesNotContain(paths, p => p.Contains("namespaces/{namespace}/nodes", StringComparison.Ordinal));
        Assert.Equal(["name", "pretty"], core["paths"]!["/api/v1/nodes/{name}"]!["parameters"]!.AsArray().Select(p => (string?)p!["name"]));
        Assert.Equal("core_v1", (string?)core["paths"]!["/api/v1/nodes"]!["get"]!["tags"]![0]);

        var rbac = Parse(s_documents, "apis/rbac.authorization.k8s.io/v1");
        Assert.Equal("createRbacAuthorizationV1ClusterRole", (string?)rbac["paths"]!["/apis/rbac.authorization.k8s.io/v1/clusterroles"]!["post"]!["operationId"]);
        Assert.Equal("rbacAuthorization_v1", (string?)rbac["paths"]!["/apis/rbac.authorization.k8s.io/v1/clusterroles"]!["post"]!["tags"]![0]);
    }

    private static HashSet<string> Parameters(JsonObject operation) =>
        (operation["parameters"] as JsonArray ?? []).Select(p => (string)p!["name"]!).ToHashSet(StringComparer.Ordinal);
}
