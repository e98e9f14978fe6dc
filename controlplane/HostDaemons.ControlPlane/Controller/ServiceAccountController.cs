using HostDaemons.ControlPlane.Storage;
using HostDaemons.Hosting;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// Kubernetes' serviceaccounts controller: every active namespace has a <c>default</c> ServiceAccount, created with
/// the namespace (or when one is found without it, as at start) and again whenever it is deleted. A terminating
/// namespace gets none: it is being emptied.
/// </summary>
internal sealed partial class ServiceAccountController(
    IObjectStore store,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<ServiceAccountController> logger) : SupervisedBackgroundService(lifetime, logger)
{
    private readonly WorkQueue _queue = new(time);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var tasks = new[] { store.FollowAsync(EnqueueAll, Handle, logger, stoppingToken), _queue.ProcessAsync(SyncAsync, (key, ex) => Log.SyncFailed(logger, key, ex), stoppingToken) };
        await await Task.WhenAny(tasks).ConfigureAwait(false);
    }

    private void EnqueueAll()
    {
        foreach (var ns in store.List<Namespace>())
        {
            _queue.Add(ns.Metadata.Name);
        }
    }

    private void Handle(StoreEvent e)
    {
        switch (e.Object)
        {
            case Namespace ns when e.Type == StoreEventType.Added:
                _queue.Add(ns.Metadata.Name);
                break;
            case ServiceAccount { Metadata.Name: ServiceAccountValidator.DefaultName } sa when e.Type == StoreEventType.Deleted:
                _queue.Add(sa.Metadata.Namespace);
                break;
        }
    }

    internal async Task SyncAsync(string ns, CancellationToken cancellationToken)
    {
        var namespaceObject = store.Get<Namespace>("", ns);
        if (namespaceObject is null || namespaceObject.IsTerminating() || store.Get<ServiceAccount>(ns, ServiceAccountValidator.DefaultName) is not null)
        {
            return;
        }

        var account = new ServiceAccount { Metadata = new ObjectMeta { Name = ServiceAccountValidator.DefaultName, Namespace = ns } };
        ObjectValidator.ApplyDefaults(account);
        try
        {
            await store.CreateAsync(account, cancellationToken).ConfigureAwait(false);
            Log.Created(logger, ns);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Created meanwhile by someone else: what this sync wanted.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 600, Level = LogLevel.Error, Message = "Sync of the default service account of namespace {Namespace} failed; retrying")]
        public static partial void SyncFailed(ILogger logger, string @namespace, Exception exception);

        [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Created the default service account of namespace {Namespace}")]
        public static partial void Created(ILogger logger, string @namespace);
    }
}
