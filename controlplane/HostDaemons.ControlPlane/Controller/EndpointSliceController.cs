using HostDaemons.ControlPlane.Storage;
using HostDaemons.Hosting;
using HostDaemons.Model.Hashing;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Options;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// Keeps every Service's EndpointSlices (<see cref="EndpointSlicePlanner"/>), so clients discover the pods behind it.
/// Level-triggered, one queue key per Service: a Service's changes queue it, a pod's changes that can move an endpoint
/// (labels, address, readiness, phase, node, ports, deletion) queue the Services of its namespace that select it (before
/// or after), a managed slice changed or deleted by someone else queues its Service, and a periodic resync queues all.
/// </summary>
internal sealed partial class EndpointSliceController(
    IObjectStore store,
    TimeProvider time,
    IOptions<ControlPlaneOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<EndpointSliceController> logger) : SupervisedBackgroundService(lifetime, logger)
{
    private readonly WorkQueue _queue = new(time);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var tasks = new[]
        {
            store.FollowAsync(EnqueueAll, Handle, logger, stoppingToken),
            ResyncAsync(stoppingToken),
            _queue.ProcessAsync(SyncAsync, (key, ex) => Log.SyncFailed(logger, key, ex), stoppingToken),
        };
        await await Task.WhenAny(tasks).ConfigureAwait(false);
    }

    /// <summary>Every Service, and the Service of every managed slice (one whose Service went while the control plane was down).</summary>
    private void EnqueueAll()
    {
        foreach (var service in store.List<Service>())
        {
            _queue.Add(service.Key());
        }

        foreach (var slice in store.List<EndpointSlice>())
        {
            if (ServiceOf(slice) is { } key)
            {
                _queue.Add(key);
            }
        }
    }

    private void Handle(StoreEvent e)
    {
        switch (e.Object)
        {
            case Service service:
                _queue.Add(service.Key());
                break;
            case EndpointSlice slice when e.Type != StoreEventType.Added && ServiceOf(slice) is { } key:
                _queue.Add(key);
                break;
            case Pod pod:
                var previous = e.Type == StoreEventType.Modified ? (Pod?)e.Previous : null;
                var current = e.Type == StoreEventType.Deleted ? null : pod;
                if (e.Type == StoreEventType.Modified && !EndpointSlicePlanner.AffectsEndpoints(previous, current))
                {
                    break;
                }

                foreach (var service in store.List<Service>(pod.Metadata.Namespace))
                {
                    if (EndpointSlicePlanner.Selects(service, pod) || (previous is not null && EndpointSlicePlanner.Selects(service, previous)))
                    {
                        _queue.Add(service.Key());
                    }
                }

                break;
        }
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.ResyncPeriod, time, cancellationToken).ConfigureAwait(false);
            EnqueueAll();
        }
    }

    internal async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var (ns, name) = (key[..slash], key[(slash + 1)..]);
        var existing = store.List<EndpointSlice>(ns).Where(s => ServiceOf(s) == key).ToList();

        // A terminating namespace is being emptied: nothing new is written into it.
        var service = store.Get<Namespace>("", ns)?.IsTerminating() == true ? null : store.Get<Service>(ns, name);
        var plan = EndpointSlicePlanner.Plan(service, store.List<Pod>(ns), n => store.Get<Node>("", n), existing,
            () => $"{name}-{ObjectHash.RandomSuffix()}");
        if (plan.IsEmpty)
        {
            return;
        }

        var writes = new List<Task>();
        writes.AddRange(plan.Deletes.Select(s => store.DeleteAsync<EndpointSlice>(ns, s.Metadata.Name, s.Metadata.Uid, cancellationToken)));
        writes.AddRange(plan.Updates.Select(s => store.UpdateAsync(s, cancellationToken)));
        writes.AddRange(plan.Creates.Select(s => store.CreateAsync(s, cancellationToken)));
        await Task.WhenAll(writes).ConfigureAwait(false);
        Log.Synced(logger, key, plan.Creates.Count, plan.Updates.Count, plan.Deletes.Count);
    }

    /// <summary>The namespace/name key of the Service a slice this controller manages belongs to; null for any other slice.</summary>
    private static string? ServiceOf(EndpointSlice slice) =>
        slice.Metadata.Labels.TryGetValue(EndpointSliceLabels.ManagedBy, out var manager) && manager == EndpointSliceLabels.Controller
        && slice.Metadata.Labels.TryGetValue(EndpointSliceLabels.ServiceName, out var service)
            ? $"{slice.Metadata.Namespace}/{service}"
            : null;

    private static partial class Log
    {
        [LoggerMessage(EventId = 620, Level = LogLevel.Error, Message = "Sync of the EndpointSlices of Service {Service} failed; retrying")]
        public static partial void SyncFailed(ILogger logger, string service, Exception exception);

        [LoggerMessage(EventId = 621, Level = LogLevel.Debug, Message = "EndpointSlices of Service {Service}: {Created} created, {Updated} updated, {Deleted} deleted")]
        public static partial void Synced(ILogger logger, string service, int created, int updated, int deleted);
    }
}
