using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// Rollouts: kubectl's <c>rollout undo</c>, <c>rollout restart</c> and <c>set image</c> as single writes against the
/// latest DaemonSet, and the progress stream behind <c>rollout status</c>.
/// </summary>
internal sealed partial class AdminService
{
    public override async Task<RollbackResponse> Rollback(RollbackRequest request, ServerCallContext context)
    {
        var ds = GetDaemonSet(request.Namespace, request.Name);
        if (request.ToRevision < 0)
        {
            throw RevisionNotFound(request.ToRevision);
        }

        // kubectl's DaemonSetRollbacker: 0 means the revision before the newest.
        var history = ControllerRevisions.OwnedBy(ds, store.List<ControllerRevision>(ds.Metadata.Namespace));
        if (request.ToRevision == 0 && history.Count <= 1)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "no last revision to roll back to"));
        }

        var target = request.ToRevision == 0 ? history[^2] : history.LastOrDefault(r => r.Revision == request.ToRevision) ?? throw RevisionNotFound(request.ToRevision);
        var template = ControllerRevisions.Template(target) ?? throw RevisionNotFound(request.ToRevision);
        var response = new RollbackResponse { Revision = target };
        if (request.DryRun)
        {
            var preview = ds.Clone();
            preview.Spec.Template = template.Clone();
            response.DaemonSet = preview;
            return response;
        }

        if (ControllerRevisions.Matches(target, ds))
        {
            response.Skipped = true;
            response.DaemonSet = ds;
            return response;
        }

        response.DaemonSet = await UpdateTemplateAsync(ds, t =>
        {
            t.MergeFrom(template);
            return true;
        }, replace: true, context).ConfigureAwait(false);
        return response;
    }

    public override async Task<RestartRolloutResponse> RestartRollout(RestartRolloutRequest request, ServerCallContext context)
    {
        var ds = GetDaemonSet(request.Namespace, request.Name);
        var restartedAt = time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        bool Restart(PodTemplateSpec t)
        {
            t.Metadata ??= new ObjectMeta();
            t.Metadata.Annotations[ControllerRevisions.RestartedAtAnnotation] = restartedAt;
            return true;
        }

        if (request.DryRun)
        {
            var preview = ds.Clone();
            Restart(preview.Spec.Template);
            return new RestartRolloutResponse { DaemonSet = preview };
        }

        return new RestartRolloutResponse { DaemonSet = await UpdateTemplateAsync(ds, Restart, replace: false, context).ConfigureAwait(false) };
    }

    public override async Task<SetImageResponse> SetImage(SetImageRequest request, ServerCallContext context)
    {
        var ds = GetDaemonSet(request.Namespace, request.Name);
        var names = ds.Spec.Template.Spec.Containers.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (request.Images.Keys.FirstOrDefault(k => k != "*" && !names.Contains(k)) is { } unknown)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"unable to find container named \"{unknown}\""));
        }

        var changed = false;
        bool SetImages(PodTemplateSpec t)
        {
            foreach (var container in t.Spec.Containers)
            {
                var image = request.Images.TryGetValue(container.Name, out var named) ? named : request.Images.GetValueOrDefault("*");
                if (image is not null && container.Image != image)
                {
                    container.Image = image;
                    changed = true;
                }
            }

            return changed;
        }

        if (request.DryRun)
        {
            var preview = ds.Clone();
            SetImages(preview.Spec.Template);
            Validate(preview);
            return new SetImageResponse { DaemonSet = preview, Changed = changed };
        }

        var updated = await UpdateTemplateAsync(ds, SetImages, replace: false, context).ConfigureAwait(false);
        return new SetImageResponse { DaemonSet = updated, Changed = changed };
    }

    public override Task WatchRollout(WatchRolloutRequest request, IServerStreamWriter<RolloutProgress> responseStream, ServerCallContext context)
    {
        var ns = Namespace(request.Namespace);
        var subscription = store.Subscribe();
        var ds = store.Get<DaemonSet>(ns, request.Name);
        if (ds is null)
        {
            subscription.Dispose();
            throw ApiErrors.NotFound(ResourceKind.DaemonSet, request.Name);
        }

        var uid = ds.Metadata.Uid;
        return streaming.RunAsync(context, async cancellationToken =>
        {
            try
            {
                RolloutProgress? last = null;
                while (true)
                {
                    var current = store.Get<DaemonSet>(ns, request.Name);
                    var progress = current is null || current.Metadata.Uid != uid
                        ? new RolloutProgress()
                        : RolloutProgressBuilder.Build(current, store.PodsControlledBy(uid), store.List<ControllerRevision>(ns), time.GetUtcNow());
                    if (!progress.Equals(last))
                    {
                        await responseStream.WriteAsync(progress, cancellationToken).ConfigureAwait(false);
                        last = progress;
                    }

                    if (progress.DaemonSet is null)
                    {
                        return;
                    }

                    // One look at the state per burst of changes that concern this DaemonSet.
                    var relevant = false;
                    while (!relevant)
                    {
                        try
                        {
                            if (!await subscription.Events.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                            {
                                return;
                            }
                        }
                        catch (SubscriptionOverflowException)
                        {
                            // Fallen behind while the client was slow: the state is read afresh, as after any change.
                            subscription.Dispose();
                            subscription = store.Subscribe();
                            break;
                        }

                        while (subscription.Events.TryRead(out var e))
                        {
                            relevant |= Concerns(e, ns, request.Name, uid);
                        }
                    }
                }
            }
            finally
            {
                subscription.Dispose();
            }
        });
    }

    private static bool Concerns(StoreEvent e, string ns, string name, string uid) => e.Object switch
    {
        DaemonSet d => d.Metadata.Namespace == ns && d.Metadata.Name == name,
        Pod p => p.Metadata.ControllerRef()?.Uid == uid,
        ControllerRevision r => r.Metadata.ControllerRef()?.Uid == uid,
        _ => false,
    };

    private DaemonSet GetDaemonSet(string ns, string name) =>
        store.Get<DaemonSet>(Namespace(ns), name) ?? throw ApiErrors.NotFound(ResourceKind.DaemonSet, name);

    /// <summary>
    /// Changes the latest stored template (or replaces it, with <paramref name="replace"/>), validated as a whole and
    /// admitted by the namespace's Pod Security enforce level as an apply is (an old revision may no longer comply).
    /// </summary>
    private async Task<DaemonSet> UpdateTemplateAsync(DaemonSet ds, Func<PodTemplateSpec, bool> change, bool replace, ServerCallContext context)
    {
        var updated = await store.MutateAsync<DaemonSet>(ds.Metadata.Namespace, ds.Metadata.Name, d =>
        {
            if (d.Metadata.Uid != ds.Metadata.Uid || d.IsTerminating())
            {
                return false;
            }

            var template = replace ? new PodTemplateSpec() : d.Spec.Template;
            if (!change(template))
            {
                return false;
            }

            d.Spec.Template = template;
            Validate(d);
            podSecurity.AdmitTemplate(d, context);
            return true;
        }, context.CancellationToken).ConfigureAwait(false);
        return updated ?? throw ApiErrors.NotFound(ResourceKind.DaemonSet, ds.Metadata.Name);
    }

    private static void Validate(DaemonSet ds)
    {
        var errors = DaemonSetValidator.Validate(ds);
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(ResourceKind.DaemonSet, ds.Metadata.Name, errors);
        }
    }

    private static RpcException RevisionNotFound(long revision) =>
        new(new Status(StatusCode.FailedPrecondition, $"unable to find specified revision {revision} in history"));
}
