using Grpc.Core;
using HostDaemons.Api.V1;

namespace HostDaemons.Agent.Tests.TestServices;

/// <summary>
/// The node API as an agent's client sees it, for the calls a pod's worker makes: each answers from a function the
/// test sets (which may throw an <see cref="RpcException"/>), and every request is kept.
/// </summary>
internal sealed class FakeNodeClient : NodeService.NodeServiceClient
{
    private readonly Lock _lock = new();
    private readonly List<GetPullCredentialsRequest> _pullCredentialRequests = [];
    private readonly List<GetPodResourcesRequest> _podResourceRequests = [];
    private readonly List<RequestPodTokenRequest> _tokenRequests = [];

    public Func<GetPullCredentialsRequest, GetPullCredentialsResponse> PullCredentials { get; set; } = _ => new GetPullCredentialsResponse();

    public Func<GetPodResourcesRequest, GetPodResourcesResponse> PodResources { get; set; } = _ => new GetPodResourcesResponse();

    public Func<RequestPodTokenRequest, RequestPodTokenResponse> PodToken { get; set; } = _ => new RequestPodTokenResponse();

    /// <summary>Answers token requests as the control plane would: <c>token-1</c>, <c>token-2</c>..., each expiring after the lifetime asked for.</summary>
    public void IssueTokens(TimeProvider time)
    {
        var issued = 0;
        PodToken = request => new RequestPodTokenResponse
        {
            Token = $"token-{Interlocked.Increment(ref issued)}",
            ExpirationTimestamp = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(time.GetUtcNow().AddSeconds(request.ExpirationSeconds)),
        };
    }

    public IReadOnlyList<RequestPodTokenRequest> TokenRequests
    {
        get
        {
            lock (_lock)
            {
                return [.. _tokenRequests];
            }
        }
    }

    public IReadOnlyList<GetPullCredentialsRequest> PullCredentialRequests
    {
        get
        {
            lock (_lock)
            {
                return [.. _pullCredentialRequests];
            }
        }
    }

    public IReadOnlyList<GetPodResourcesRequest> PodResourceRequests
    {
        get
        {
            lock (_lock)
            {
                return [.. _podResourceRequests];
            }
        }
    }

    public override AsyncUnaryCall<GetPullCredentialsResponse> GetPullCredentialsAsync(GetPullCredentialsRequest request, CallOptions options) =>
        Call(_pullCredentialRequests, request, PullCredentials);

    public override AsyncUnaryCall<GetPodResourcesResponse> GetPodResourcesAsync(GetPodResourcesRequest request, CallOptions options) =>
        Call(_podResourceRequests, request, PodResources);

    public override AsyncUnaryCall<RequestPodTokenResponse> RequestPodTokenAsync(RequestPodTokenRequest request, CallOptions options) =>
        Call(_tokenRequests, request, PodToken);

    private AsyncUnaryCall<TResponse> Call<TRequest, TResponse>(List<TRequest> requests, TRequest request, Func<TRequest, TResponse> answer)
    {
        lock (_lock)
        {
            requests.Add(request);
        }

        Task<TResponse> response;
        try
        {
            response = Task.FromResult(answer(request));
        }
        catch (RpcException ex)
        {
            response = Task.FromException<TResponse>(ex);
        }

        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Grpc.Core.Status.DefaultSuccess, () => [], () => { });
    }
}
