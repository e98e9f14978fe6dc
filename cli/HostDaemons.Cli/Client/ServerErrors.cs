using Grpc.Core;

namespace HostDaemons.Cli.Client;

/// <summary>Words a failed call as kubectl words server errors.</summary>
internal static class ServerErrors
{
    public static string Describe(RpcException ex, string server)
    {
        var detail = ex.Status.Detail;
        return ex.StatusCode switch
        {
            StatusCode.Unavailable when ex.Status.DebugException is not null || detail.Contains("Error connecting", StringComparison.Ordinal) || detail.Contains("refused", StringComparison.OrdinalIgnoreCase)
                => $"The connection to the server {Authority(server)} was refused - did you specify the right host or port?",
            StatusCode.NotFound => $"Error from server (NotFound): {detail}",
            StatusCode.AlreadyExists => $"Error from server (AlreadyExists): {detail}",
            StatusCode.InvalidArgument when detail.Contains(" is invalid: ", StringComparison.Ordinal) => detail,
            StatusCode.InvalidArgument => $"Error from server (BadRequest): {detail}",
            StatusCode.Aborted => $"Error from server (Conflict): {detail}",
            StatusCode.FailedPrecondition => $"error: {detail}",
            StatusCode.Unavailable => $"Error from server (ServiceUnavailable): {detail}",
            StatusCode.DeadlineExceeded => $"Error from server (Timeout): {detail}",
            StatusCode.Unauthenticated => $"error: You must be logged in to the server (Unauthorized): {detail}",
            StatusCode.PermissionDenied => $"Error from server (Forbidden): {detail}",
            _ => $"Error from server: {detail}",
        };
    }

    private static string Authority(string server) => Uri.TryCreate(server, UriKind.Absolute, out var uri) ? uri.Authority : server;
}
