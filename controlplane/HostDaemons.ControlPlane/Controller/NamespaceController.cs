using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Events;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Hosting;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// Kubernetes' namespace controller. A Terminating namespace is emptied — its DaemonSets deleted with the background
/// cascade (the DaemonSet controller then terminates their pods, which the agents stop gracefully), any other pod
/// terminated, its secrets, config maps, service accounts, roles, bindings, services, endpoint slices and events
/// deleted — and goes once nothing is left in it. It also creates the initial
/// namespaces at start, gives objects found in a namespace that does not exist their namespace back (a store written
/// before namespaces were objects), and deletes events reported late about a namespace already gone.
/// </summary>
internal sealed partial class NamespaceController(
    IObjectStore store,
    PodTerminator terminator,
    EventRecorder events,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<NamespaceController> logger) : SupervisedBackgroundService(lifetime, logger)
{
    /// <summary>How often terminating namespaces are looked at without an event: the safety net.</summary>
    private static readonly TimeSpan s_resyncPeriod = TimeSpan.FromSeconds(10);

    /// <summary>Namespaced kinds deleted with their namespace as they are, without a grace period or a cascade of their own.</summary>
    private static readonly ResourceKind[] s_plainKinds =
    [
        ResourceKind.Secret, ResourceKind.ConfigMap, ResourceKind.ServiceAccount, ResourceKind.Role, ResourceKind.RoleBinding,
        ResourceKind.Service, ResourceKind.EndpointSlice,
    ];

    private static readonly ResourceKind[] s_contentKinds = [ResourceKind.DaemonSet, ResourceKind.Pod, .. s_plainKinds, ResourceKind.Event];

    private readonly WorkQueue _queue = new(time);

    /// <summary>Creates the initial namespaces before the loop starts.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var name in Namespaces.Initial)
        {
            if (await Namespaces.EnsureAsync(store, name, cancellationToken).ConfigureAwait(false))
            {
                Log.Created(logger, name);
            }
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var tasks = new[] { store.FollowAsync(EnqueueAll, Handle, logger, stoppingToken), ResyncAsync(stoppingToken), _queue.ProcessAsync(SyncAsync, (key, ex) => Log.SyncFailed(logger, key, ex), stoppingToken) };
        await await Task.WhenAny(tasks).ConfigureAwait(false);
    }

    /// <summary>Every namespace, and every namespace something lives in (one whose object went while the control plane was down).</summary>
    private void EnqueueAll()
    {
        foreach (var name in store.List<Namespace>().Select(n => n.Metadata.Name)
            .Concat(s_contentKinds.SelectMany(k => store.List(k)).Select(o => o.Metadata.Namespace))
            .Where(n => n.Length > 0)
            .Distinct(StringComparer.Ordinal))
        {
            _queue.Add(name);
        }
    }

    /// <summary>
    /// A namespace is queued when it starts terminating, on any change inside it while it terminates, and when an
    /// object appears in a namespace that does not exist.
    /// </summary>
    private void Handle(StoreEvent e)
    {
        if (e.Object is Namespace changed)
        {
            if (e.Type != StoreEventType.Deleted && changed.IsTerminating())
            {
                _queue.Add(changed.Metadata.Name);
            }

            return;
        }

        var name = e.Object.Metadata.Namespace;
        if (name.Length == 0)
        {
            return;
        }

        var ns = store.Get<Namespace>("", name);
        if (ns is null ? e.Type == StoreEventType.Added : ns.IsTerminating())
        {
            _queue.Add(name);
        }
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(s_resyncPeriod, time, cancellationToken).ConfigureAwait(false);
            foreach (var ns in store.List<Namespace>().Where(n => n.IsTerminating()))
            {
                _queue.Add(ns.Metadata.Name);
            }
        }
    }

    internal async Task SyncAsync(string name, CancellationToken cancellationToken)
    {
        var ns = store.Get<Namespace>("", name);
        if (ns is null)
        {
            if (HasContent(name, withEvents: false))
            {
                if (await Namespaces.EnsureAsync(store, name, cancellationToken).ConfigureAwait(false))
                {
                    Log.Recreated(logger, name);
                }
            }
            else
            {
                // Events about objects of a namespace already gone (an agent reports a pod's last events late).
                await DeleteEventsAsync(name, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (!ns.IsTerminating())
        {
            return;
        }

        await DeleteContentAsync(name, cancellationToken).ConfigureAwait(false);
        if (HasContent(name, withEvents: true))
        {
            // Pods still terminating on their nodes: their removal queues the namespace again.
            return;
        }

        if (await store.DeleteAsync<Namespace>("", name, ns.Metadata.Uid, cancellationToken).ConfigureAwait(false) is not null)
        {
            Log.Deleted(logger, name);
        }
    }

    private async Task DeleteContentAsync(string name, CancellationToken cancellationToken)
    {
        // DaemonSets first, so that none of their pods is replaced.
        await Task.WhenAll(store.List<DaemonSet>(name).Select(ds =>
            store.DeleteAsync<DaemonSet>(name, ds.Metadata.Name, ds.Metadata.Uid, cancellationToken))).ConfigureAwait(false);

        var work = new List<Task>();
        work.AddRange(store.List<Pod>(name).Where(p => !p.IsTerminating()).Select(p => terminator.TerminateAsync(p, null, cancellationToken)));
        work.AddRange(s_plainKinds.SelectMany(k => store.List(k, name)).Select(o => store.DeleteAsync(ObjectKey.Of(o), o.Metadata.Uid, cancellationToken)));
        work.Add(DeleteEventsAsync(name, cancellationToken));
        await Task.WhenAll(work).ConfigureAwait(false);
    }

    private Task DeleteEventsAsync(string name, CancellationToken cancellationToken) =>
        Task.WhenAll(store.List<Event>(name).Select(e =>
        {
            events.Forget(e);
            return store.DeleteAsync<Event>(name, e.Metadata.Name, e.Metadata.Uid, cancellationToken);
        }));

    private bool HasContent(string name, bool withEvents) =>
        s_contentKinds.Any(k => (withEvents || k != ResourceKind.Event) && store.List(k, name).Count > 0);

    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Sync of namespace {Namespace} failed; retrying")]
        public static partial void SyncFailed(ILogger logger, string @namespace, Exception exception);

        [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Created namespace {Namespace}")]
        public static partial void Created(ILogger logger, string @namespace);

        [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "Deleted namespace {Namespace}: nothing is left in it")]
        public static partial void Deleted(ILogger logger, string @namespace);

        [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Namespace {Namespace} holds objects but did not exist; created it")]
        public static partial void Recreated(ILogger logger, string @namespace);
    }
}
