using Grpc.Core;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Api;

/// <summary>The API's errors, worded as the Kubernetes API server words them so hdctl can print them as kubectl does.</summary>
internal static class ApiErrors
{
    public static RpcException NotFound(ResourceKind kind, string name) =>
        new(new Status(StatusCode.NotFound, $"{ResourceKinds.Get(kind).QualifiedPlural} \"{name}\" not found"));

    public static RpcException AlreadyExists(ResourceKind kind, string name) =>
        new(new Status(StatusCode.AlreadyExists, $"{ResourceKinds.Get(kind).QualifiedPlural} \"{name}\" already exists"));

    /// <summary>Marks an <see cref="Invalid"/> refusal (REST: 422 Invalid, where other InvalidArguments are 400 BadRequest).</summary>
    public const string ReasonTrailer = "hostdaemons-reason";

    /// <summary>The field errors of an <see cref="Invalid"/> refusal, UTF-8 JSON <c>[{"reason","message","field"}]</c>: the REST Status' causes.</summary>
    public const string CausesTrailer = "hostdaemons-causes-bin";

    public static RpcException Invalid(ResourceKind kind, string name, IReadOnlyList<FieldError> errors) =>
        InvalidOptions(ResourceKinds.Get(kind).KindName, name, errors);

    /// <summary>An Invalid refusal of a request's options, which are not a stored kind (<c>PodLogOptions</c>).</summary>
    public static RpcException InvalidOptions(string kindName, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new System.Text.Json.Nodes.JsonArray();
        foreach (var error in errors)
        {
            causes.Add(new System.Text.Json.Nodes.JsonObject
            {
                ["reason"] = "FieldValue" + error.Type,
                ["message"] = error.ToString()[Math.Min(error.ToString().Length, error.Path.Length + 2)..],
                ["field"] = error.Path,
            });
        }

        var trailers = new Metadata { { ReasonTrailer, "Invalid" }, { CausesTrailer, System.Text.Encoding.UTF8.GetBytes(causes.ToJsonString()) } };
        return new RpcException(new Status(StatusCode.InvalidArgument, ValidationErrors.Summarize(kindName, name, errors)), trailers);
    }

    /// <summary>A write against a version that is no longer the stored one (409 Conflict on the REST API).</summary>
    public static RpcException Conflict(ResourceKind kind, string name) => new(new Status(StatusCode.Aborted,
        $"Operation cannot be fulfilled on {ResourceKinds.Get(kind).QualifiedPlural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again"));

    public static RpcException BadRequest(string message) => new(new Status(StatusCode.InvalidArgument, message));

    /// <summary>An admission refusal: <c>namespaces "default" is forbidden: this namespace may not be deleted</c>.</summary>
    public static RpcException Forbidden(ResourceKind kind, string name, string reason) => Forbidden(kind, name, reason, []);

    /// <summary>An admission refusal about fields of the object, which travel as trailers for hdctl to locate in the manifest.</summary>
    public static RpcException Forbidden(ResourceKind kind, string name, string reason, IEnumerable<string> fieldPaths)
    {
        var trailers = new Metadata();
        foreach (var path in fieldPaths)
        {
            trailers.Add(ErrorFieldPaths.TrailerKey, path);
        }

        return new RpcException(new Status(StatusCode.PermissionDenied, $"{ResourceKinds.Get(kind).QualifiedPlural} \"{name}\" is forbidden: {reason}"), trailers);
    }

    /// <summary>Maps the store's failures to statuses; anything else is left to gRPC (Unknown, without internals).</summary>
    public static RpcException? FromStore(Exception exception) => exception switch
    {
        ObjectNotFoundException e => NotFound(e.Key.Kind, e.Key.Name),
        ObjectAlreadyExistsException e => AlreadyExists(e.Key.Kind, e.Key.Name),
        ObjectConflictException e => Conflict(e.Key.Kind, e.Key.Name),
        RevisionTooOldException or SubscriptionOverflowException => new RpcException(new Status(StatusCode.OutOfRange, exception.Message)),
        StoreUnavailableException e => new RpcException(new Status(StatusCode.Unavailable, e.Message)),
        _ => null,
    };
}
