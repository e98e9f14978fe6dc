using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Joining;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// Apply, create and delete with every admission rule, whichever front door asked: hdctl's gRPC calls and the
/// Kubernetes REST API take this one path.
/// </summary>
internal sealed class ObjectWrites(
    IObjectStore store,
    ObjectApplier applier,
    PodTerminator terminator,
    MirrorPods mirrors,
    NodeRevocation revocation,
    PodSecurityAdmission podSecurity,
    TimeProvider time)
{
    public async Task<ApplyResponse> ApplyAsync(ApplyRequest request, ServerCallContext context)
    {
        var value = request.Object?.Unwrap() ?? throw ApiErrors.BadRequest("the request carries no object");
        MirrorPodAdmission.CheckWrite(store, value);
        await Namespaces.AdmitAsync(store, value, request.DryRun, context.CancellationToken).ConfigureAwait(false);
        var warnings = value is Model.V1.Namespace ns
            ? podSecurity.AdmitNamespace(ns, request.Mode == ApplyMode.Create, context)
            : podSecurity.AdmitTemplate(value, context);
        var response = await applier.ApplyAsync(value, request, context.CancellationToken).ConfigureAwait(false);
        response.Warnings.Add(warnings);
        return response;
    }

    public async Task<DeleteResponse> DeleteAsync(DeleteRequest request, CancellationToken cancellationToken)
    {
        var key = AdminService.Key(request.Ref);
        var ct = cancellationToken;
        var existing = store.Get(key) ?? throw ApiErrors.NotFound(key.Kind, key.Name);
        var response = new DeleteResponse { Object = existing.Wrap() };
        switch (existing)
        {
            case DaemonSet ds:
                await DeleteDaemonSetAsync(ds, request.PropagationPolicy, ct).ConfigureAwait(false);
                break;
            case Pod pod when pod.IsMirror():
                // Gone at once and back from the node's static set: the static pod is the agent's and keeps running.
                if (await mirrors.DeleteAsync(pod, ct).ConfigureAwait(false) is { } warning)
                {
                    response.Warnings.Add(warning);
                }

                break;
            case Pod pod:
                await terminator.TerminateAsync(pod, request.HasGracePeriodSeconds && request.GracePeriodSeconds >= 0 ? request.GracePeriodSeconds : null, ct, request.Force)
                    .ConfigureAwait(false);
                break;
            case PriorityClass priorityClass when SystemPriorityClasses.Find(priorityClass.Metadata.Name) is not null:
                throw ApiErrors.Forbidden(ResourceKind.PriorityClass, priorityClass.Metadata.Name, "this is a system priority class and cannot be deleted");
            case Model.V1.Namespace namespaceObject:
                await Namespaces.BeginDeletionAsync(store, namespaceObject, time.GetUtcNow(), ct).ConfigureAwait(false);
                break;
            case Node node:
                // Its certificates first: its open calls end, and it cannot come back to register again.
                await revocation.RevokeAsync(node.Metadata.Name, ct).ConfigureAwait(false);
                await store.DeleteAsync<Node>("", node.Metadata.Name, node.Metadata.Uid, ct).ConfigureAwait(false);
                mirrors.Forget(node.Metadata.Name);
                await Task.WhenAll(store.PodsOnNode(node.Metadata.Name).Select(p =>
                    store.DeleteAsync<Pod>(p.Metadata.Namespace, p.Metadata.Name, p.Metadata.Uid, ct))).ConfigureAwait(false);
                break;
            default:
                // Secrets, ConfigMaps, ServiceAccounts, RBAC objects, Services (their EndpointSlices follow), EndpointSlices
                // (made again from their Service), PriorityClasses, revisions: nothing depends on them being there.
                await store.DeleteAsync(key, existing.Metadata.Uid, ct).ConfigureAwait(false);
                break;
        }

        return response;
    }

    private async Task DeleteDaemonSetAsync(DaemonSet ds, string policy, CancellationToken cancellationToken)
    {
        switch (policy)
        {
            case "" or "Background":
                await store.DeleteAsync<DaemonSet>(ds.Metadata.Namespace, ds.Metadata.Name, ds.Metadata.Uid, cancellationToken).ConfigureAwait(false);
                break;
            case "Orphan":
                // Pods lose their owner first, so nothing deletes them; applying the DaemonSet again adopts them.
                await Task.WhenAll(store.PodsControlledBy(ds.Metadata.Uid).Select(p => store.MutateAsync<Pod>(p.Metadata.Namespace, p.Metadata.Name, pod =>
                {
                    var owners = pod.Metadata.OwnerReferences.Where(o => o.Uid != ds.Metadata.Uid).ToList();
                    pod.Metadata.OwnerReferences.Clear();
                    pod.Metadata.OwnerReferences.Add(owners);
                    return true;
                }, cancellationToken))).ConfigureAwait(false);
                await store.DeleteAsync<DaemonSet>(ds.Metadata.Namespace, ds.Metadata.Name, ds.Metadata.Uid, cancellationToken).ConfigureAwait(false);
                break;
            case "Foreground":
                var now = Timestamp.FromDateTimeOffset(time.GetUtcNow());
                await store.MutateAsync<DaemonSet>(ds.Metadata.Namespace, ds.Metadata.Name, d =>
                {
                    if (d.Metadata.DeletionTimestamp is not null)
                    {
                        return false;
                    }

                    d.Metadata.DeletionTimestamp = now;
                    d.Metadata.DeletionGracePeriodSeconds = 0;
                    return true;
                }, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw ApiErrors.BadRequest($"unsupported propagation policy \"{policy}\": use Background, Foreground or Orphan");
        }
    }
}
