using System.Globalization;
using System.Text.Json.Nodes;
using HostDaemons.Model.Objects;

namespace HostDaemons.ControlPlane.KubeApi.OpenApi;

/// <summary>
/// Builds the OpenAPI v3 document of one group-version as kube-apiserver publishes it: for each kind, list, watch,
/// create and deletecollection on the collection, get, replace, patch and delete on the item, the status subresource
/// of kinds that have a status, and the schemas they reach.
/// </summary>
internal static class GroupVersionDocument
{
    private static readonly string[] s_objectTypes = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];
    private static readonly string[] s_listTypes = [.. s_objectTypes, "application/json;stream=watch", "application/vnd.kubernetes.protobuf;stream=watch"];
    private static readonly string[] s_patchTypes =
        ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"];

    /// <summary><c>api/v1</c> or <c>apis/apps/v1</c>: the document's name under /openapi/v3.</summary>
    public static string PathOf(ResourceKindInfo kind) => PathOf(kind.Group, VersionOf(kind));

    /// <summary><c>apis/rbac.authorization.k8s.io/v1beta1</c>: the document of a group in another version than the stored one.</summary>
    public static string PathOf(string group, string version) => group.Length == 0 ? "api/" + version : $"apis/{group}/{version}";

    /// <summary>
    /// The document of <paramref name="kinds"/> (one group), in their stored version or, for a deprecated alias, in
    /// <paramref name="version"/>.
    /// </summary>
    public static JsonObject Build(IEnumerable<ResourceKindInfo> kinds, PatchMetadataLookup patchMetadata, SchemaDescriptions descriptions, string? version = null)
    {
        var schemas = new SchemaSet(patchMetadata, descriptions);
        var paths = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            AddKind(kind, version ?? VersionOf(kind), schemas, paths);
        }

        var pathsJson = new JsonObject();
        foreach (var (path, item) in paths)
        {
            pathsJson[path] = item;
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = pathsJson,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas.ToJson(),
                ["securitySchemes"] = new JsonObject
                {
                    ["BearerToken"] = new JsonObject
                    {
                        ["description"] = "Bearer Token authentication",
                        ["in"] = "header",
                        ["name"] = "authorization",
                        ["type"] = "apiKey",
                    },
                },
            },
        };
    }

    private static string VersionOf(ResourceKindInfo kind) => kind.ApiVersion[(kind.ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private static void AddKind(ResourceKindInfo kind, string version, SchemaSet schemas, SortedDictionary<string, JsonObject> paths)
    {
        var schemaName = schemas.AddKind(kind, version);
        var ops = new KindOperations(kind, version, schemas);
        var prefix = "/" + PathOf(kind.Group, version);
        var scope = kind.Namespaced ? "/namespaces/{namespace}" : "";
        var collection = $"{prefix}{scope}/{kind.Plural}";
        var item = collection + "/{name}";
        var list = ops.Responses(new Response(200, "OK", schemaName + "List", s_listTypes));
        var read = ops.Responses(new Response(200, "OK", schemaName, s_objectTypes));
        var write = ops.Responses(new Response(200, "OK", schemaName, s_objectTypes), new Response(201, "Created", schemaName, s_objectTypes));
        var watch = ops.Responses(new Response(200, "OK", SchemaNames.WatchEvent, s_listTypes));

        paths[collection] = PathItem(kind, withName: false, kind.Namespaced,
            ("get", ops.Op("list", $"list or watch objects of kind {kind.KindName}", "list", "", OperationParameters.List(), null, list)),
            ("post", ops.Op("create", $"create a {kind.KindName}", "post", "", OperationParameters.Create(), ops.Body(schemaName, required: true),
                ops.Responses(new Response(200, "OK", schemaName, s_objectTypes), new Response(201, "Created", schemaName, s_objectTypes), new Response(202, "Accepted", schemaName, s_objectTypes)))),
            ("delete", ops.Op("delete", $"delete collection of {kind.KindName}", "deletecollection", "", OperationParameters.DeleteCollection(),
                ops.Body(SchemaNames.DeleteOptions, required: false), ops.Responses(new Response(200, "OK", SchemaNames.Status, s_objectTypes)))));

        paths[item] = PathItem(kind, withName: true, kind.Namespaced,
            ("get", ops.Op("read", $"read the specified {kind.KindName}", "get", "", [], null, read)),
            ("put", ops.Op("replace", $"replace the specified {kind.KindName}", "put", "", OperationParameters.Replace(), ops.Body(schemaName, required: true), write)),
            ("patch", ops.Op("patch", $"partially update the specified {kind.KindName}", "patch", "", OperationParameters.Patch(), ops.PatchBody(), write)),
            ("delete", ops.Op("delete", $"delete a {kind.KindName}", "delete", "", OperationParameters.Delete(), ops.Body(SchemaNames.DeleteOptions, required: false),
                ops.Responses(new Response(200, "OK", SchemaNames.Status, s_objectTypes), new Response(202, "Accepted", SchemaNames.Status, s_objectTypes)))));

        if (kind.Descriptor.FindFieldByName("status") is not null)
        {
            paths[item + "/status"] = PathItem(kind, withName: true, kind.Namespaced,
                ("get", ops.Op("read", $"read status of the specified {kind.KindName}", "get", "Status", [], null, read)),
                ("put", ops.Op("replace", $"replace status of the specified {kind.KindName}", "put", "Status", OperationParameters.Replace(),
                    ops.Body(schemaName, required: true), write)),
                ("patch", ops.Op("patch", $"partially update status of the specified {kind.KindName}", "patch", "Status", OperationParameters.Patch(),
                    ops.PatchBody(), write)));
        }

        if (kind.Kind == Model.V1.ResourceKind.Pod)
        {
            paths[item + "/log"] = PathItem(kind, withName: true, kind.Namespaced,
                ("get", ops.Op("read", $"read log of the specified {kind.KindName}", "get", "Log", OperationParameters.PodLog(), null, KindOperations.TextResponse())));
        }

        const string Deprecated = "deprecated: use the 'watch' parameter with a list operation instead";
        var watchCollection = $"{prefix}/watch{scope}/{kind.Plural}";
        paths[watchCollection] = PathItem(kind, withName: false, kind.Namespaced,
            ("get", ops.Op("watch", $"watch individual changes to a list of {kind.KindName}. {Deprecated}.", "watchlist", "List", OperationParameters.List(), null, watch)));
        paths[watchCollection + "/{name}"] = PathItem(kind, withName: true, kind.Namespaced,
            ("get", ops.Op("watch", $"watch changes to an object of kind {kind.KindName}. {Deprecated}, filtered to a single item with the 'fieldSelector' parameter.",
                "watch", "", OperationParameters.List(), null, watch)));

        if (kind.Namespaced)
        {
            paths[$"{prefix}/{kind.Plural}"] = PathItem(kind, withName: false, namespaced: false,
                ("get", ops.Op("list", $"list or watch objects of kind {kind.KindName}", "list", "ForAllNamespaces", OperationParameters.List(), null,
                    list, allNamespaces: true)));
            paths[$"{prefix}/watch/{kind.Plural}"] = PathItem(kind, withName: false, namespaced: false,
                ("get", ops.Op("watch", $"watch individual changes to a list of {kind.KindName}. {Deprecated}.", "watchlist", "ListForAllNamespaces",
                    OperationParameters.List(), null, watch, allNamespaces: true)));
        }
    }

    private static JsonObject PathItem(ResourceKindInfo kind, bool withName, bool namespaced, params (string Method, JsonObject Operation)[] operations)
    {
        var item = new JsonObject();
        foreach (var (method, operation) in operations.OrderBy(o => o.Method, StringComparer.Ordinal))
        {
            item[method] = operation;
        }

        var parameters = new JsonArray();
        if (withName)
        {
            parameters.Add(OperationParameters.Path("name", $"name of the {kind.KindName}"));
        }

        if (namespaced)
        {
            parameters.Add(OperationParameters.Path("namespace", "object name and auth scope, such as for teams and projects"));
        }

        parameters.Add(OperationParameters.Pretty());
        item["parameters"] = parameters;
        return item;
    }

    private sealed record Response(int Code, string Description, string Schema, string[] ContentTypes);

    /// <summary>The operations of one kind: their ids, tags, GVK and bodies, with references added to the document's schemas.</summary>
    private sealed class KindOperations(ResourceKindInfo kind, string version, SchemaSet schemas)
    {
        private readonly string _tag = Tag(kind.Group, version);
        private readonly string _idInfix = Camel(kind.Group) + char.ToUpperInvariant(version[0]) + version[1..];

        public JsonObject Body(string schema, bool required) => new()
        {
            ["content"] = new JsonObject { ["*/*"] = new JsonObject { ["schema"] = schemas.Reference(schema) } },
            ["required"] = required,
        };

        public JsonObject PatchBody()
        {
            var content = new JsonObject();
            foreach (var type in s_patchTypes)
            {
                content[type] = new JsonObject { ["schema"] = schemas.Reference(SchemaNames.Patch) };
            }

            return new JsonObject { ["content"] = content, ["required"] = true };
        }

        public JsonObject Responses(params Response[] responses)
        {
            var json = new JsonObject();
            foreach (var (code, description, schema, contentTypes) in responses)
            {
                var content = new JsonObject();
                foreach (var type in contentTypes)
                {
                    content[type] = new JsonObject { ["schema"] = schemas.Reference(schema) };
                }

                json[code.ToString(CultureInfo.InvariantCulture)] = new JsonObject { ["content"] = content, ["description"] = description };
            }

            json["401"] = new JsonObject { ["description"] = "Unauthorized" };
            return json;
        }

        public static JsonObject TextResponse() => new()
        {
            ["200"] = new JsonObject
            {
                ["content"] = new JsonObject { ["text/plain"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } } },
                ["description"] = "OK",
            },
            ["401"] = new JsonObject { ["description"] = "Unauthorized" },
        };

        /// <summary>An operation; its responses object must not be shared with another operation.</summary>
        public JsonObject Op(
            string verb,
            string description,
            string action,
            string suffix,
            JsonArray parameters,
            JsonObject? requestBody,
            JsonObject responses,
            bool allNamespaces = false)
        {
            var scope = kind.Namespaced && !allNamespaces ? "Namespaced" : "";
            var collection = action == "deletecollection" ? "Collection" : "";
            var operation = new JsonObject
            {
                ["description"] = description,
                ["operationId"] = $"{verb}{_idInfix}{collection}{scope}{kind.KindName}{suffix}",
            };
            if (parameters.Count > 0)
            {
                operation["parameters"] = parameters;
            }

            if (requestBody is not null)
            {
                operation["requestBody"] = requestBody;
            }

            operation["responses"] = responses.Parent is null ? responses : responses.DeepClone();
            operation["tags"] = new JsonArray(_tag);
            operation["x-kubernetes-action"] = action;
            operation["x-kubernetes-group-version-kind"] = MetaSchemas.Gvk(kind.Group, version, kind.KindName);
            return operation;
        }

        // core_v1, apps_v1, rbacAuthorization_v1: Kubernetes' tag of a group-version's operations.
        private static string Tag(string group, string version)
        {
            var camel = Camel(group);
            return char.ToLowerInvariant(camel[0]) + camel[1..] + "_" + version;
        }

        // "rbac.authorization.k8s.io" → "RbacAuthorization"; the core group → "Core".
        private static string Camel(string group)
        {
            if (group.Length == 0)
            {
                return "Core";
            }

            var trimmed = group.EndsWith(".k8s.io", StringComparison.Ordinal) ? group[..^".k8s.io".Length] : group;
            return string.Concat(trimmed.Split('.').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        }
    }
}
