using Grpc.Core;

namespace HostDaemons.ControlPlane.Auditing;

/// <summary>A gRPC status as the HTTP status Kubernetes' API would have answered, for <c>responseStatus.code</c>.</summary>
internal static class AuditStatus
{
    public static int HttpCode(StatusCode code, string detail) => code switch
    {
        StatusCode.OK => 200,
        StatusCode.InvalidArgument => detail.Contains(" is invalid", StringComparison.Ordinal) ? 422 : 400,
        StatusCode.FailedPrecondition or StatusCode.OutOfRange => 400,
        StatusCode.Unauthenticated => 401,
        StatusCode.PermissionDenied => 403,
        StatusCode.NotFound => 404,
        StatusCode.AlreadyExists or StatusCode.Aborted => 409,
        StatusCode.ResourceExhausted => 429,
        StatusCode.Cancelled => 499,
        StatusCode.Unimplemented => 501,
        StatusCode.Unavailable => 503,
        StatusCode.DeadlineExceeded => 504,
        _ => 500,
    };
}
