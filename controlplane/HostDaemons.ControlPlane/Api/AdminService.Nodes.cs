using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Api;

/// <summary>kubectl's node verbs: taint, cordon and uncordon, each one write checked against the node's latest state.</summary>
internal sealed partial class AdminService
{
    public override async Task<TaintResponse> Taint(TaintRequest request, ServerCallContext context)
    {
        var now = time.GetUtcNow();
        string? operation = null;
        if (request.DryRun)
        {
            var node = (store.Get<Node>("", request.Node) ?? throw ApiErrors.NotFound(ResourceKind.Node, request.Node)).Clone();
            operation = NodeTaints.Apply(node, request.Add, request.Remove, request.Overwrite, now);
            return new TaintResponse { Node = node, Operation = operation };
        }

        var updated = await store.MutateAsync<Node>("", request.Node, n =>
        {
            var before = n.Spec?.Clone();
            operation = NodeTaints.Apply(n, request.Add, request.Remove, request.Overwrite, now);
            return !Equals(before, n.Spec);
        }, context.CancellationToken).ConfigureAwait(false) ?? throw ApiErrors.NotFound(ResourceKind.Node, request.Node);
        return new TaintResponse { Node = updated, Operation = operation ?? NodeTaints.Untainted };
    }

    public override async Task<CordonResponse> Cordon(CordonRequest request, ServerCallContext context)
    {
        var now = time.GetUtcNow();
        var changed = false;
        if (request.DryRun)
        {
            var node = (store.Get<Node>("", request.Node) ?? throw ApiErrors.NotFound(ResourceKind.Node, request.Node)).Clone();
            changed = NodeCordon.Apply(node, request.Unschedulable, now).Changed;
            return new CordonResponse { Node = node, Changed = changed };
        }

        var updated = await store.MutateAsync<Node>("", request.Node, n =>
        {
            (changed, var written) = NodeCordon.Apply(n, request.Unschedulable, now);
            return written;
        }, context.CancellationToken).ConfigureAwait(false) ?? throw ApiErrors.NotFound(ResourceKind.Node, request.Node);
        return new CordonResponse { Node = updated, Changed = changed };
    }
}
