using Grpc.Core;

namespace HostDaemons.ControlPlane.KubeApi;

/// <summary>
/// A REST request seen as a call: the application code (admission, the admin operations, the audit record) takes its
/// caller and audit record from a <see cref="ServerCallContext"/>, so both front doors hand it the same thing. The
/// HTTP context rides in the user state under grpc-dotnet's own key, so <c>GetHttpContext()</c> finds it.
/// </summary>
internal sealed class RestCallContext : ServerCallContext
{
    private const string HttpContextKey = "__HttpContext";

    private readonly HttpContext _http;
    private readonly Metadata _headers = [];
    private readonly Dictionary<object, object> _userState = [];

    public RestCallContext(HttpContext http, string method)
    {
        _http = http;
        MethodName = method;
        _userState[HttpContextKey] = http;
        foreach (var (name, values) in http.Request.Headers)
        {
            // Only the headers the application reads (impersonation); gRPC metadata keys are lower case.
            if (name.StartsWith("impersonate-", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var value in values)
                {
                    _headers.Add(name.ToLowerInvariant(), value ?? "");
                }
            }
        }
    }

    public string MethodName { get; }

    protected override string MethodCore => MethodName;

    protected override string HostCore => _http.Request.Host.Value ?? "";

    protected override string PeerCore => _http.Connection.RemoteIpAddress is { } address ? $"ipv4:{address}:{_http.Connection.RemotePort}" : "unknown";

    protected override DateTime DeadlineCore => DateTime.MaxValue;

    protected override Metadata RequestHeadersCore => _headers;

    protected override CancellationToken CancellationTokenCore => _http.RequestAborted;

    protected override Metadata ResponseTrailersCore { get; } = [];

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore { get; } = new(null, []);

    protected override IDictionary<object, object> UserStateCore => _userState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        throw new NotSupportedException("REST requests do not propagate to gRPC calls");

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
