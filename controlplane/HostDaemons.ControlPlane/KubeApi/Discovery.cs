using System.Text.Json.Nodes;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// The discovery documents kubectl and client libraries read before anything else: the legacy ones (<c>/api</c>,
/// <c>/apis</c>, <c>/api/v1</c>, <c>/apis/GROUP/VERSION</c>), and the aggregated ones (<c>apidiscovery.k8s.io/v2</c>)
/// that a client asks for in its Accept header. Built once from <see cref="ServedResources"/>.
/// </summary>
internal static class Discovery
{
    public const string AggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    public static bool WantsAggregated(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal) && a.Contains("v=v2", StringComparison.Ordinal));

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject ApiGroupList()
    {
        var groups = new JsonArray();
        foreach (var group in Groups())
        {
            var versions = new JsonArray([.. VersionsOf(group).Select(v => (JsonNode?)new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v })]);
            groups.Add(new JsonObject
            {
                ["name"] = group,
                ["versions"] = versions,
                ["preferredVersion"] = versions[0]!.DeepClone(),
            });
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    /// <summary>The APIResourceList of a group-version; null when none is served.</summary>
    public static JsonObject? ResourceList(string groupVersion)
    {
        var served = ServedResources.All.Where(r => r.GroupVersion == groupVersion).ToList();
        if (served.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var resource in served)
        {
            var entry = new JsonObject
            {
                ["name"] = resource.Plural,
                ["singularName"] = resource.Singular,
                ["namespaced"] = resource.Namespaced,
                ["kind"] = resource.Kind,
                ["verbs"] = KubeJson.Strings(resource.Verbs),
            };
            if (resource.ShortNames.Count > 0)
            {
                entry["shortNames"] = KubeJson.Strings(resource.ShortNames);
            }

            if (resource.Categories.Count > 0)
            {
                entry["categories"] = KubeJson.Strings(resource.Categories);
            }

            resources.Add(entry);
            foreach (var sub in resource.Subresources)
            {
                var subEntry = new JsonObject
                {
                    ["name"] = $"{resource.Plural}/{sub.Name}",
                    ["singularName"] = "",
                    ["namespaced"] = resource.Namespaced,
                    ["kind"] = sub.Kind,
                    ["verbs"] = KubeJson.Strings(sub.Verbs),
                };
                if (sub.Group != resource.Group || sub.Version != resource.Version)
                {
                    subEntry["group"] = sub.Group;
                    subEntry["version"] = sub.Version;
                }

                resources.Add(subEntry);
            }
        }

        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = groupVersion, ["resources"] = resources };
    }

    /// <summary>The aggregated document of the core group (<c>/api</c>) or of every named group (<c>/apis</c>).</summary>
    public static JsonObject Aggregated(bool core)
    {
        var items = new JsonArray();
        var groups = core ? [""] : Groups();
        foreach (var group in groups)
        {
            var versions = new JsonArray();
            foreach (var version in VersionsOf(group))
            {
                var resources = AggregatedResources(ServedResources.All.Where(r => r.Group == group && r.Version == version));
                versions.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }

            var metadata = new JsonObject { ["creationTimestamp"] = null };
            if (group.Length > 0)
            {
                metadata["name"] = group;
            }

            items.Add(new JsonObject { ["metadata"] = metadata, ["versions"] = versions });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonArray AggregatedResources(IEnumerable<ServedResource> served)
    {
        var resources = new JsonArray();
        foreach (var resource in served)
        {
            var entry = new JsonObject
            {
                ["resource"] = resource.Plural,
                ["responseKind"] = Kind(resource.Group, resource.Version, resource.Kind),
                ["scope"] = resource.Namespaced ? "Namespaced" : "Cluster",
                ["singularResource"] = resource.Singular,
                ["verbs"] = KubeJson.Strings(resource.Verbs),
            };
            if (resource.ShortNames.Count > 0)
            {
                entry["shortNames"] = KubeJson.Strings(resource.ShortNames);
            }

            if (resource.Categories.Count > 0)
            {
                entry["categories"] = KubeJson.Strings(resource.Categories);
            }

            if (resource.Subresources.Count > 0)
            {
                var subs = new JsonArray();
                foreach (var sub in resource.Subresources)
                {
                    subs.Add(new JsonObject { ["subresource"] = sub.Name, ["responseKind"] = Kind(sub.Group, sub.Version, sub.Kind), ["verbs"] = KubeJson.Strings(sub.Verbs) });
                }

                entry["subresources"] = subs;
            }

            resources.Add(entry);
        }

        return resources;
    }

    /// <summary>The versions of a group, preferred (stored) first: <c>v1</c>, then a deprecated alias such as <c>v1beta1</c>.</summary>
    private static List<string> VersionsOf(string group) =>
        [.. ServedResources.All.Where(r => r.Group == group).Select(r => r.Version).Distinct()];

    private static List<string> Groups() =>
        [.. ServedResources.All.Select(r => r.Group).Where(g => g.Length > 0).Distinct()];

    private static JsonObject Kind(string group, string version, string kind) => new() { ["group"] = group, ["version"] = version, ["kind"] = kind };
}
