using Grpc.Core;

namespace HostDaemons.Cli.Client;

/// <summary>Words a failed call as kubectl words server errors.</summary>
internal static class ServerErrors
{
    /// <param name="ex">The failed call.</param>
    /// <param name="server">The server it went to.</param>
    /// <param name="tlsFailure">Why hdctl refused the server's certificate, if it did.</param>
    /// <param name="presentedCertificate">Whether hdctl offered a client certificate (the server may have refused it).</param>
    public static string Describe(RpcException ex, string server, string? tlsFailure = null, bool presentedCertificate = false)
    {
        var detail = ex.Status.Detail;
        if (ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal && TlsProblem(ex, tlsFailure, presentedCertificate) is { } tls)
        {
            return $"Unable to connect to the server: {tls}";
        }

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
            StatusCode.ResourceExhausted => $"Error from server (RequestEntityTooLarge): {detail}",
            StatusCode.Unauthenticated => $"error: You must be logged in to the server (Unauthorized): {detail}",
            StatusCode.PermissionDenied => $"Error from server (Forbidden): {detail}",
            _ => $"Error from server: {detail}",
        };
    }

    /// <summary>
    /// A failed TLS handshake, as Go's crypto/tls words it: hdctl's refusal of the server's certificate, or the
    /// server's of hdctl's (with TLS 1.3 that shows only as a connection closed before HTTP/2 could start).
    /// </summary>
    private static string? TlsProblem(RpcException ex, string? tlsFailure, bool presentedCertificate)
    {
        if (tlsFailure is not null)
        {
            return $"tls: failed to verify certificate: {tlsFailure}";
        }

        for (var inner = ex.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException
                || (presentedCertificate && inner is IOException && inner.Message.Contains("handshake", StringComparison.OrdinalIgnoreCase)))
            {
                return "remote error: tls: bad certificate (the control plane refused the client certificate: is it from this cluster's CA?)";
            }
        }

        return null;
    }

    private static string Authority(string server) => Uri.TryCreate(server, UriKind.Absolute, out var uri) ? uri.Authority : server;
}
