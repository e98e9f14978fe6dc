using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Authorization;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Joining;
using HostDaemons.ControlPlane.Nodes;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Hosting;
using HostDaemons.Model.Labels;
using HostDaemons.Model.Objects;
using HostDaemons.Model.PodSecurity;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Api;

/// <summary>hdctl's API: generic over the stored kinds, with Kubernetes' semantics and messages.</summary>
internal sealed partial class AdminService(
    IObjectStore store,
    ObjectApplier applier,
    PodTerminator terminator,
    AgentTunnels tunnels,
    MirrorPods mirrors,
    StreamingCalls streaming,
    NodeRevocation revocation,
    PodSecurityAdmission podSecurity,
    TimeProvider time,
    AccessReviews reviews) : HostDaemons.Api.V1.AdminService.AdminServiceBase
{

    public override async Task<ApplyResponse> Apply(ApplyRequest request, ServerCallContext context)
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

    public override Task<ApiObject> Get(GetRequest request, ServerCallContext context)
    {
        var key = Key(request.Ref);
        var value = store.Get(key) ?? throw ApiErrors.NotFound(key.Kind, key.Name);
        return Task.FromResult(value.Wrap());
    }

    public override Task<ListResponse> List(ListRequest request, ServerCallContext context)
    {
        var query = ParseSelector(request.LabelSelector);
        var fields = ParseFieldSelector(request.Kind, request.FieldSelector);
        var revision = store.Revision;
        var response = new ListResponse { ResourceVersion = revision };
        response.Items.AddRange(Select(request.Kind, request.Namespace, request.AllNamespaces, query)
            .Where(o => FieldLabels.Matches(fields, o))
            .Select(o => o.Wrap()));
        return Task.FromResult(response);
    }

    public override async Task<DeleteResponse> Delete(DeleteRequest request, ServerCallContext context)
    {
        var key = Key(request.Ref);
        var ct = context.CancellationToken;
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

    public override Task Watch(WatchRequest request, IServerStreamWriter<WatchEvent> responseStream, ServerCallContext context)
    {
        var query = ParseSelector(request.LabelSelector);
        var fields = ParseFieldSelector(request.Kind, request.FieldSelector);
        var subscription = store.Subscribe(request.ResourceVersion > 0 ? request.ResourceVersion : null);
        return streaming.RunAsync(context, async cancellationToken =>
        {
            using (subscription)
            {
                await foreach (var e in subscription.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    var value = e.Object;
                    if (value.ResourceKind != request.Kind
                        || (!request.AllNamespaces && Namespaced(request.Kind) && value.Metadata.Namespace != Namespace(request.Namespace))
                        || (request.Name.Length > 0 && value.Metadata.Name != request.Name))
                    {
                        continue;
                    }

                    // As Kubernetes' watch cache: an object entering the selection is ADDED, one leaving it DELETED.
                    var matches = query.Matches(value.Metadata.Labels) && FieldLabels.Matches(fields, value);
                    var matched = e.Type == StoreEventType.Modified && e.Previous is not null
                        && query.Matches(e.Previous.Metadata.Labels) && FieldLabels.Matches(fields, e.Previous);
                    var type = (e.Type, matches, matched) switch
                    {
                        (StoreEventType.Added, true, _) => "ADDED",
                        (StoreEventType.Deleted, true, _) => "DELETED",
                        (StoreEventType.Modified, true, true) => "MODIFIED",
                        (StoreEventType.Modified, true, false) => "ADDED",
                        (StoreEventType.Modified, false, true) => "DELETED",
                        _ => null,
                    };
                    if (type is null)
                    {
                        continue;
                    }

                    await responseStream.WriteAsync(new WatchEvent { Type = type, Object = value.Wrap(), ResourceVersion = e.Revision }, cancellationToken).ConfigureAwait(false);
                }
            }
        });
    }

    public override async Task<LabelResponse> Label(LabelRequest request, ServerCallContext context)
    {
        var key = Key(request.Ref);
        var errors = new ValidationErrors();
        NameValidation.ValidateLabels(request.Set, "metadata.labels", errors);
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(key.Kind, key.Name, errors);
        }

        var changed = false;
        IReadOnlyList<string> warnings = [];
        bool Relabel(IKubeObject o)
        {
            warnings = [];
            MirrorPodAdmission.CheckChange(o);
            // Checked inside the write, against the latest labels, so a concurrent change is never overwritten silently.
            foreach (var (label, value) in request.Set)
            {
                if (!request.Overwrite && o.Metadata.Labels.TryGetValue(label, out var existing) && existing != value)
                {
                    throw new RpcException(new Status(StatusCode.FailedPrecondition, $"'{label}' already has a value ({existing}), and --overwrite is false"));
                }
            }

            var before = o.Metadata.Labels.Clone();
            foreach (var label in request.Remove)
            {
                o.Metadata.Labels.Remove(label);
            }

            foreach (var (label, value) in request.Set)
            {
                o.Metadata.Labels[label] = value;
            }

            changed = !before.Equals(o.Metadata.Labels);
            if (changed && o is Model.V1.Namespace)
            {
                warnings = AdmitPodSecurityLabels(o, before, context);
            }

            return changed;
        }

        var updated = await store.MutateAsync(key, Relabel, context.CancellationToken).ConfigureAwait(false);
        var response = new LabelResponse { Object = (updated ?? throw ApiErrors.NotFound(key.Kind, key.Name)).Wrap(), Changed = changed };
        response.Warnings.Add(warnings);
        return response;
    }

    /// <summary>A namespace's new labels: Pod Security's valid, and admitted (<see cref="PodSecurityAdmission.AdmitNamespaceLabels"/>).</summary>
    private IReadOnlyList<string> AdmitPodSecurityLabels(IKubeObject ns, IReadOnlyDictionary<string, string> before, ServerCallContext context)
    {
        var errors = new ValidationErrors();
        PodSecurityPolicy.ValidateLabels(ns.Metadata.Labels, "metadata.labels", errors);
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(ResourceKind.Namespace, ns.Metadata.Name, errors);
        }

        return podSecurity.AdmitNamespaceLabels(ns.Metadata.Name, before, ns.Metadata.Labels, context);
    }

    public override Task Logs(LogsRequest request, IServerStreamWriter<LogsChunk> responseStream, ServerCallContext context)
    {
        var ns = Namespace(request.Namespace);
        var pod = store.Get<Pod>(ns, request.Pod) ?? throw ApiErrors.NotFound(ResourceKind.Pod, request.Pod);
        var options = request.Options ?? new PodLogOptions();
        var names = pod.Spec.Containers.Select(c => c.Name).ToList();
        if (options.Container.Length == 0)
        {
            if (names.Count != 1)
            {
                throw ApiErrors.BadRequest($"a container name must be specified for pod {pod.Metadata.Name}, choose one of: [{string.Join(" ", names)}]");
            }

            options = options.Clone();
            options.Container = names[0];
        }
        else if (!names.Contains(options.Container))
        {
            throw ApiErrors.BadRequest($"container {options.Container} is not valid for pod {pod.Metadata.Name}");
        }

        if (pod.Spec.NodeName.Length == 0)
        {
            throw ApiErrors.BadRequest($"pod {pod.Metadata.Name} is not assigned to a node yet");
        }

        var agentRequest = new PodLogsRequest
        {
            Pod = new PodKey { Namespace = ns, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
            Options = options,
        };
        return streaming.RunAsync(context, async cancellationToken =>
        {
            await foreach (var data in tunnels.StreamLogsAsync(pod.Spec.NodeName, agentRequest, cancellationToken).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(new LogsChunk { Data = data }, cancellationToken).ConfigureAwait(false);
            }
        });
    }

    public override Task<VersionResponse> Version(VersionRequest request, ServerCallContext context) =>
        Task.FromResult(new VersionResponse { Version = DaemonCommandLine.Version });

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

    private IEnumerable<IKubeObject> Select(ResourceKind kind, string ns, bool allNamespaces, LabelQuery query)
    {
        var scope = allNamespaces || !Namespaced(kind) ? null : Namespace(ns);
        return store.List(kind, scope)
            .Where(o => query.Matches(o.Metadata.Labels))
            .OrderBy(o => o.Metadata.Namespace, StringComparer.Ordinal)
            .ThenBy(o => o.Metadata.Name, StringComparer.Ordinal);
    }

    private static ObjectKey Key(ObjectReference? reference)
    {
        if (reference is null || reference.Kind == ResourceKind.Unspecified || reference.Name.Length == 0)
        {
            throw ApiErrors.BadRequest("a kind and a name are required");
        }

        return new ObjectKey(reference.Kind, Namespaced(reference.Kind) ? Namespace(reference.Namespace) : "", reference.Name);
    }

    private static LabelQuery ParseSelector(string selector) =>
        LabelQuery.TryParse(selector, out var query, out var error) ? query : throw ApiErrors.BadRequest(error);

    /// <summary>The API server's field selector: parsed, and every field one the kind offers.</summary>
    private static FieldSelector ParseFieldSelector(ResourceKind kind, string selector)
    {
        if (!FieldSelector.TryParse(selector, out var fields, out var error))
        {
            throw ApiErrors.BadRequest(error);
        }

        return FieldLabels.Unsupported(kind, fields) is { } unsupported ? throw ApiErrors.BadRequest(unsupported) : fields;
    }

    private static bool Namespaced(ResourceKind kind) => kind != ResourceKind.Unspecified && ResourceKinds.Get(kind).Namespaced;

    private static string Namespace(string ns) => ns.Length == 0 ? ObjectDefaults.DefaultNamespace : ns;
}
