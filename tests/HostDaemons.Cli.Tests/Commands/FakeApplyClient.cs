using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests.Commands;

/// <summary>
/// Answers Get from a set of live objects (NotFound otherwise) and Apply with <see cref="Respond"/>, recording the
/// requests, as the control plane would for apply, its dry runs and diff.
/// </summary>
internal sealed class FakeApplyClient(params IKubeObject[] live) : AdminService.AdminServiceClient
{
    public List<GetRequest> Gets { get; } = [];

    public List<ApplyRequest> Applies { get; } = [];

    /// <summary>The answer to an apply; by default "created" with the object sent.</summary>
    public Func<ApplyRequest, ApplyResponse> Respond { get; init; } = request => new ApplyResponse { Object = request.Object, Outcome = ApplyOutcome.Created };

    public override AsyncUnaryCall<ApiObject> GetAsync(GetRequest request, CallOptions options)
    {
        Gets.Add(request);
        var found = live.FirstOrDefault(o => o.ResourceKind == request.Ref.Kind && o.Metadata.Name == request.Ref.Name && o.Metadata.Namespace == request.Ref.Namespace)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"\"{request.Ref.Name}\" not found"));
        return Call(found.Wrap());
    }

    public override AsyncUnaryCall<ApplyResponse> ApplyAsync(ApplyRequest request, CallOptions options)
    {
        Applies.Add(request);
        return Call(Respond(request));
    }

    private static AsyncUnaryCall<T> Call<T>(T response) =>
        new(Task.FromResult(response), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
}
