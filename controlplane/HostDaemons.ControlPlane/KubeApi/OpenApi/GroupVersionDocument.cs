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
    public static string PathOf(ResourceKindInfo kind) => kind.Group.Length == 0 ? "api/" + kind.ApiVersion : "apis/" + kind.ApiVersion;

    public static JsonObject Build(IEnumerable<ResourceKindInfo> kinds, PatchMetadataLookup patchMetadata, SchemaDescriptions descriptions)
    {
        var schemas = new SchemaSet(patchMetadata, descriptions);
        var paths = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            AddKind(kind, schemas, paths);
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

    private static void AddKind(ResourceKindInfo kind, SchemaSet schemas, SortedDictionary<string, JsonObject> paths)
    {
        var version = kind.ApiVersion[(kind.ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var schemaName = schemas.AddKind(kind, version);
        var ctx = new KindContext(kind, version, schemaName, schemas);
        var prefix = "/" + PathOf(kind);
        var scope = kind.Namespaced ? "/namespaces/{namespace}" : "";
        var collection = $"{prefix}{scope}/{kind.Plural}";
        var item = collection + "/{name}";

        paths[collection] = PathItem(kind, withName: false,
            ("get", ctx.Op("list", $"list or watch objects of kind {kind.KindName}", "list", "", OperationParameters.List(), null,
                (200, "OK", schemaName + "List", s_listTypes))),
            ("post", ctx.Op("create", $"create a {kind.KindName}", "post", "", OperationParameters.Create(), ctx.Body(),
                (200, "OK", schemaName, s_objectTypes), (201, "Created", schemaName, s_objectTypes), (202, "Accepted", schemaName, s_objectTypes))),
            ("delete", ctx.Op("delete", $"delete collection of {kind.KindName}", "deletecollection", "", OperationParameters.DeleteCollection(),
                ctx.DeleteBody(), (200, "OK", SchemaNames.Status, s_objectTypes))));

        paths[item] = PathItem(kind, withName: true,
            ("get", ctx.Op("read", $"read the specified {kind.KindName}", "get", "", [], null, (200, "OK", schemaName, s_objectTypes))),
            ("put", ctx.Op("replace", $"replace the specified {kind.KindName}", "put", "", OperationParameters.Replace(), ctx.Body(),
                (200, "OK", schemaName, s_objectTypes), (201, "Created", schemaName, s_objectTypes))),
            ("patch", ctx.Op("patch", $"partially update the specified {kind.KindName}", "patch", "", OperationParameters.Patch(), ctx.PatchBody(),
                (200, "OK", schemaName, s_objectTypes), (201, "Created", schemaName, s_objectTypes))),
            ("delete", ctx.Op("delete", $"delete a {kind.KindName}", "delete", "", OperationParameters.Delete(), ctx.DeleteBody(),
                (200, "OK", SchemaNames.Status, s_objectTypes), (202, "Accepted", SchemaNames.Status, s_objectTypes))));

        if (kind.Descriptor.FindFieldByName("status") is not null)
        {
            paths[item + "/status"] = PathItem(kind, withName: true,
                ("get", ctx.Op("read", $"read status of the specified {kind.KindName}", "get", "Status", [], null, (200, "OK", schemaName, s_objectTypes))),
                ("put", ctx.Op("replace", $"replace status of the specified {kind.KindName}", "put", "Status", OperationParameters.Replace(), ctx.Body(),
                    (200, "OK", schemaName, s_objectTypes), (201, "Created", schemaName, s_objectTypes))),
                ("patch", ctx.Op("patch", $"partially update status of the specified {kind.KindName}", "patch", "Status", OperationParameters.Patch(),
                    ctx.PatchBody(), (200, "OK", schemaName, s_objectTypes), (201, "Created", schemaName, s_objectTypes))));
        }

        if (kind.Kind == Model.V1.ResourceKind.Pod)
        {
            paths[item + "/log"] = PathItem(kind, withName: true,
                ("get", ctx.Op("read", $"read log of the specified {kind.KindName}", "get", "Log", OperationParameters.PodLog(), null)));
            ((JsonObject)paths[item + "/log"]["get"]!)["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["content"] = new JsonObject { ["text/plain"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } } },
                    ["description"] = "OK",
                },
                ["401"] = new JsonObject { ["description"] = "Unauthorized" },
            };
        }

        var watchPrefix = $"{prefix}/watch{scope}/{kind.Plural}";
        paths[watchPrefix] = PathItem(kind, withName: false,
            ("get", ctx.Op("watch", $"watch individual changes to a list of {kind.KindName}. deprecated: use the 'watch' parameter with a list operation instead.",
                "watchlist", "List", OperationParameters.List(), null, (200, "OK", SchemaNames.WatchEvent, s_listTypes))));
        paths[watchPrefix + "/{name}"] = PathItem(kind, withName: true,
            ("get", ctx.Op("watch", $"watch changes to an object of kind {kind.KindName}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.",
                "watch", "", OperationParameters.List(), null, (200, "OK", SchemaNames.WatchEvent, s_listTypes))));

        if (kind.Namespaced)
        {
            var all = $"{prefix}/{kind.Plural}";
            paths[all] = PathItem(kind, withName: false, namespaced: false,
                ("get", ctx.Op("list", $"list or watch objects of kind {kind.KindName}", "list", "ForAllNamespaces", OperationParameters.List(), null,
                    (200, "OK", schemaName + "List", s_listTypes), allNamespaces: true)));
            paths[$"{prefix}/watch/{kind.Plural}"] = PathItem(kind, withName: false, namespaced: false,
                ("get", ctx.Op("watch", $"watch individual changes to a list of {kind.KindName}. deprecated: use the 'watch' parameter with a list operation instead.",
                    "watchlist", "ListForAllNamespaces", OperationParameters.List(), null, (200, "OK", SchemaNames.WatchEvent, s_listTypes), allNamespaces: true)));
        }
    }

    private static JsonObject PathItem(ResourceKindInfo kind, bool withName, params (string Method, JsonObject Operation)[] operations) =>
        PathItem(kind, withName, kind.Namespaced, operations);

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

    private sealed class KindContext(ResourceKindInfo kind, string version, string schemaName, SchemaSet schemas)
    {
        private readonly string _tag = Tag(kind.Group, version);
        private readonly string _idInfix = Camel(kind.Group) + char.ToUpperInvariant(version[0]) + version[1..];

        public JsonObject Body() => RequestBody("*/*", schemaName, required: true);

        public JsonObject PatchBody()
        {
            var content = new JsonObject();
            foreach (var type in s_patchTypes)
            {
                content[type] = new JsonObject { ["schema"] = schemas.Reference(SchemaNames.Patch) };
            }

            return new JsonObject { ["content"] = content, ["required"] = true };
        }

        public JsonObject DeleteBody() => RequestBody("*/*", SchemaNames.DeleteOptions, required: false);

        public JsonObject Op(
            string verb,
            string description,
            string action,
            string suffix,
            JsonArray parameters,
            JsonObject? requestBody,
            params (int Code, string Description, string Schema, string[] ContentTypes)[] responses) =>
            Op(verb, description, action, suffix, parameters, requestBody, responses, allNamespaces: false);

        public JsonObject Op(
            string verb,
            string description,
            string action,
            string suffix,
            JsonArray parameters,
            JsonObject? requestBody,
            (int Code, string Description, string Schema, string[] ContentTypes) response,
            bool allNamespaces) =>
            Op(verb, description, action, suffix, parameters, requestBody, [response], allNamespaces);

        private JsonObject Op(
            string verb,
            string description,
            string action,
            string suffix,
            JsonArray parameters,
            JsonObject? requestBody,
            (int Code, string Description, string Schema, string[] ContentTypes)[] responses,
            bool allNamespaces)
        {
            var scope = kind.Namespaced && !allNamespaces ? "Namespaced" : "";
            var collectionInfix = action == "deletecollection" ? "Collection" : "";
            var operation = new JsonObject
            {
                ["description"] = description,
                ["operationId"] = $"{verb}{_idInfix}{collectionInfix}{scope}{kind.KindName}{suffix}",
            };
            if (parameters.Count > 0)
            {
                operation["parameters"] = parameters;
            }

            if (requestBody is not null)
            {
                operation["requestBody"] = requestBody;
            }

            var responsesJson = new JsonObject();
            foreach (var (code, responseDescription, schema, contentTypes) in responses)
            {
                var content = new JsonObject();
                foreach (var type in contentTypes)
                {
                    content[type] = new JsonObject { ["schema"] = schemas.Reference(schema) };
                }

                responsesJson[code.ToString(CultureInfo.InvariantCulture)] = new JsonObject { ["content"] = content, ["description"] = responseDescription };
            }

            responsesJson["401"] = new JsonObject { ["description"] = "Unauthorized" };
            operation["responses"] = responsesJson;
            operation["tags"] = new JsonArray(_tag);
            operation["x-kubernetes-action"] = action;
            operation["x-kubernetes-group-version-kind"] = MetaSchemas.Gvk(kind.Group, version, kind.KindName);
            return operation;
        }

        private JsonObject RequestBody(string contentType, string schema, bool required) => new()
        {
            ["content"] = new JsonObject { [contentType] = new JsonObject { ["schema"] = schemas.Reference(schema) } },
            ["required"] = required,
        };

        // core_v1, apps_v1, rbacAuthorization_v1: Kubernetes' tag of a group-version's operations.
        private static string Tag(string group, string version)
        {
            var camel = Camel(group);
            return (camel.Length == 0 ? "core" : char.ToLowerInvariant(camel[0]) + camel[1..]) + "_" + version;
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
