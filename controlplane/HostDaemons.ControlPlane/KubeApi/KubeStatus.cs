using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using HostDaemons.ControlPlane.Api;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// Kubernetes' <c>Status</c> answer (<c>kind: Status</c>, <c>reason</c>, <c>code</c>, <c>details</c>) and the one
/// mapping of the application's refusals (gRPC statuses, worded as the API server words them) to it.
/// </summary>
internal sealed record KubeStatus(int Code, string Reason, string Message)
{
    public JsonArray? Causes { get; init; }

    public JsonObject? Details { get; init; }

    public static KubeStatus NotFound(string message) => new(404, "NotFound", message);

    public static KubeStatus BadRequest(string message) => new(400, "BadRequest", message);

    public static KubeStatus MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static KubeStatus Expired(string message) => new(410, "Expired", message);

    public static KubeStatus UnsupportedMediaType(string message) => new(415, "UnsupportedMediaType", message);

    public static KubeStatus RequestEntityTooLarge(string message) => new(413, "RequestEntityTooLarge", message);

    /// <summary>The Status of an application refusal.</summary>
    public static KubeStatus From(RpcException ex, KubeRequest? request)
    {
        var message = ex.Status.Detail;
        var status = ex.StatusCode switch
        {
            StatusCode.NotFound => new KubeStatus(404, "NotFound", message),
            StatusCode.AlreadyExists => new KubeStatus(409, "AlreadyExists", message),
            StatusCode.Aborted or StatusCode.FailedPrecondition => new KubeStatus(409, "Conflict", message),
            StatusCode.InvalidArgument when ex.Trailers.GetValue(ApiErrors.ReasonTrailer) == "Invalid" => new KubeStatus(422, "Invalid", message)
            {
                Causes = ex.Trailers.GetValueBytes(ApiErrors.CausesTrailer) is { } causes ? JsonNode.Parse(Encoding.UTF8.GetString(causes)) as JsonArray : null,
            },
            StatusCode.InvalidArgument => new KubeStatus(400, "BadRequest", message),
            StatusCode.PermissionDenied => new KubeStatus(403, "Forbidden", message),
            StatusCode.Unauthenticated => new KubeStatus(401, "Unauthorized", "Unauthorized"),
            StatusCode.OutOfRange => new KubeStatus(410, "Expired", message),
            StatusCode.Unavailable => new KubeStatus(503, "ServiceUnavailable", message),
            StatusCode.DeadlineExceeded => new KubeStatus(504, "Timeout", message),
            StatusCode.ResourceExhausted => new KubeStatus(429, "TooManyRequests", message),
            StatusCode.Unimplemented => new KubeStatus(405, "MethodNotAllowed", message),
            _ => new KubeStatus(500, "InternalError", "Internal error occurred: " + (message.Length > 0 ? message : "the server failed to answer")),
        };
        return request is null ? status : status with { Details = DetailsOf(request) };
    }

    public static KubeStatus Internal() => new(500, "InternalError", "Internal error occurred: the server failed to answer; its log says why");

    public JsonObject ToJson()
    {
        var details = Details ?? (Causes is null ? null : new JsonObject());
        if (Causes is not null && details is not null)
        {
            details["causes"] = Causes.DeepClone();
        }

        var result = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (details is not null)
        {
            result["details"] = details;
        }

        result["code"] = Code;
        return result;
    }

    private static JsonObject DetailsOf(KubeRequest request)
    {
        var details = new JsonObject();
        if (request.Name.Length > 0)
        {
            details["name"] = request.Name;
        }

        if (request.Kind.Group.Length > 0)
        {
            details["group"] = request.Kind.Group;
        }

        details["kind"] = request.Kind.Plural;
        return details;
    }
}
