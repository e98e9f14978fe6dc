using System.Text.Json.Nodes;
using HostDaemons.Model.Objects;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// A request through a deprecated version that is served as an alias of the stored one
/// (<c>rbac.authorization.k8s.io/v1beta1</c> of <c>v1</c>, whose fields are the same): the objects are stored as the
/// current version and answered with the requested <c>apiVersion</c>, as the API server converts them, and every answer
/// carries its deprecation warning.
/// </summary>
internal sealed class ApiVersionAlias
{
    private static readonly object s_key = new();

    private readonly string _stored;
    private readonly string _served;

    private ApiVersionAlias(string stored, string served) => (_stored, _served) = (stored, served);

    /// <summary>Marks <paramref name="http"/>'s answers for conversion when <paramref name="request"/> came through an alias; returns its warning.</summary>
    public static string? Attach(HttpContext http, KubeRequest request)
    {
        if (request.ServedApiVersion == request.Kind.ApiVersion)
        {
            return null;
        }

        http.Items[s_key] = new ApiVersionAlias(request.Kind.ApiVersion, request.ServedApiVersion);
        return DeprecatedApiVersions.Warning(request.Kind, request.ServedApiVersion);
    }

    /// <summary>Gives the objects of an answer (an object, a list's items, a watch event's object, a Table's rows) the served version.</summary>
    public static void Rewrite(HttpContext http, JsonNode body)
    {
        if (http.Items.TryGetValue(s_key, out var value) && value is ApiVersionAlias alias)
        {
            alias.Rewrite(body as JsonObject);
        }
    }

    private void Rewrite(JsonObject? value)
    {
        if (value is null)
        {
            return;
        }

        if ((string?)(value["apiVersion"] as JsonValue) == _stored)
        {
            value["apiVersion"] = _served;
        }

        Rewrite(value["object"] as JsonObject);
        foreach (var key in (ReadOnlySpan<string>)["items", "rows"])
        {
            if (value[key] is JsonArray array)
            {
                foreach (var item in array)
                {
                    Rewrite(item as JsonObject);
                }
            }
        }
    }
}
