using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Api;

/// <summary>The placement preview (<c>hdctl explain-placement</c>, <c>apply --dry-run=server -o wide</c>).</summary>
internal sealed partial class AdminService
{
    public override Task<ExplainPlacementResponse> ExplainPlacement(ExplainPlacementRequest request, ServerCallContext context)
    {
        DaemonSet ds;
        switch (request.TargetCase)
        {
            case ExplainPlacementRequest.TargetOneofCase.Ref:
                var reference = request.Ref;
                if (reference.Kind != ResourceKind.DaemonSet || reference.Name.Length == 0)
                {
                    throw ApiErrors.BadRequest("placement is explained for a daemonset: give its name");
                }

                var ns = reference.Namespace.Length == 0 ? ObjectDefaults.DefaultNamespace : reference.Namespace;
                ds = store.Get<DaemonSet>(ns, reference.Name) ?? throw ApiErrors.NotFound(ResourceKind.DaemonSet, reference.Name);
                break;
            case ExplainPlacementRequest.TargetOneofCase.Object:
                ds = request.Object.Unwrap() as DaemonSet ?? throw ApiErrors.BadRequest("placement is explained for a daemonset");
                ds = ds.Clone();
                ds.Metadata ??= new ObjectMeta();
                if (ds.Metadata.Namespace.Length == 0)
                {
                    ds.Metadata.Namespace = ObjectDefaults.DefaultNamespace;
                }

                ObjectDefaults.Apply(ds);
                var errors = DaemonSetValidator.Validate(ds);
                if (errors.Count > 0)
                {
                    throw ApiErrors.Invalid(ResourceKind.DaemonSet, ds.Metadata.Name, errors);
                }

                break;
            default:
                throw ApiErrors.BadRequest("a daemonset reference or object is required");
        }

        // A DaemonSet as it would be applied over a stored one of its name: its pods are the stored one's (shown, and
        // left out of its own pod affinity).
        if (ds.Metadata.Uid.Length == 0 && store.Get<DaemonSet>(ds.Metadata.Namespace, ds.Metadata.Name) is { } stored)
        {
            ds.Metadata.Uid = stored.Metadata.Uid;
        }

        var placement = new PlacementContext(store.List<Node>(), () => store.List<Pod>(), time.GetUtcNow());
        var own = ds.Metadata.Uid.Length == 0 ? [] : store.PodsControlledBy(ds.Metadata.Uid);
        return Task.FromResult(PlacementExplanations.Explain(ds, placement, own));
    }
}
