using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Authorization;
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
    ObjectWrites writes,
    AgentTunnels tunnels,
    StreamingCalls streaming,
    PodSecurityAdmission podSecurity,
    TimeProvider time,
    AccessReviews reviews) : HostDaemons.Api.V1.AdminService.AdminServiceBase
{

    public override Task<ApplyResponse> Apply(ApplyRequest request, ServerCallContext context) => writes.ApplyAsync(request, context);

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

    public override Task<DeleteResponse> Delete(DeleteRequest request, ServerCallContext context) => writes.DeleteAsync(request, context.CancellationToken);

    public override Task Watch(WatchRequest request, IServerStreamWriter<WatchEvent> responseStream, ServerCallContext context)
    {
        var query = ParseSelector(request.LabelSelector);
        var fields = ParseFieldSelector(request.Kind, request.FieldSelector);
        var selection = new WatchSelection(request.Kind, request.AllNamespaces || !Namespaced(request.Kind) ? null : Namespace(request.Namespace), request.Name, query, fields);
        var subscription = store.Subscribe(request.ResourceVersion > 0 ? request.ResourceVersion : null);
        return streaming.RunAsync(context, async cancellationToken =>
        {
            using (subscription)
            {
                await foreach (var e in subscription.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    var value = e.Object;
                    if (selection.TypeOf(e) is not { } type)
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
        var (node, agentRequest) = PodLogRequests.Resolve(store, request);
        return streaming.RunAsync(context, async cancellationToken =>
        {
            await foreach (var data in tunnels.StreamLogsAsync(node, agentRequest, cancellationToken).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(new LogsChunk { Data = data }, cancellationToken).ConfigureAwait(false);
            }
        });
    }

    public override Task<VersionResponse> Version(VersionRequest request, ServerCallContext context) =>
        Task.FromResult(new VersionResponse { Version = DaemonCommandLine.Version });

    private IEnumerable<IKubeObject> Select(ResourceKind kind, string ns, bool allNamespaces, LabelQuery query)
    {
        var scope = allNamespaces || !Namespaced(kind) ? null : Namespace(ns);
        return store.List(kind, scope)
            .Where(o => query.Matches(o.Metadata.Labels))
            .OrderBy(o => o.Metadata.Namespace, StringComparer.Ordinal)
            .ThenBy(o => o.Metadata.Name, StringComparer.Ordinal);
    }

    internal static ObjectKey Key(ObjectReference? reference)
    {
        if (reference is null || reference.Kind == ResourceKind.Unspecified || reference.Name.Length == 0)
        {
            throw ApiErrors.BadRequest("a kind and a name are required");
        }

        return new ObjectKey(reference.Kind, Namespaced(reference.Kind) ? Namespace(reference.Namespace) : "", reference.Name);
    }

    internal static LabelQuery ParseSelector(string selector) =>
        LabelQuery.TryParse(selector, out var query, out var error) ? query : throw ApiErrors.BadRequest(error);

    /// <summary>The API server's field selector: parsed, and every field one the kind offers.</summary>
    internal static FieldSelector ParseFieldSelector(ResourceKind kind, string selector)
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
