using Grpc.Core;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>The least a service method needs from its call: headers, a cancellation token and somewhere to put trailers.</summary>
internal sealed class TestServerCallContext(Metadata? requestHeaders = null, CancellationToken cancellationToken = default) : ServerCallContext
{
    private readonly Metadata _requestHeaders = requestHeaders ?? [];
    private readonly Metadata _responseTrailers = [];

    public static TestServerCallContext Create(params (string Key, string Value)[] headers)
    {
        var metadata = new Metadata();
        foreach (var (key, value) in headers)
        {
            metadata.Add(key, value);
        }

        return new TestServerCallContext(metadata, TestContext.Current.CancellationToken);
    }

    /// <summary>The full method name the call is for.</summary>
    public string FullMethod { get; init; } = "/test/Method";

    protected override string MethodCore => FullMethod;

    protected override string HostCore => "localhost";

    protected override string PeerCore => "ipv4:127.0.0.1:5000";

    protected override DateTime DeadlineCore => DateTime.MaxValue;

    protected override Metadata RequestHeadersCore => _requestHeaders;

    protected override CancellationToken CancellationTokenCore => cancellationToken;

    protected override Metadata ResponseTrailersCore => _responseTrailers;

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore => new(null, []);

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        throw new NotSupportedException("no propagation in unit tests");

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
