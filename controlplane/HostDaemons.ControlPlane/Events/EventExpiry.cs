using HostDaemons.ControlPlane.Storage;
using HostDaemons.Hosting;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Options;

namespace HostDaemons.ControlPlane.Events;

/// <summary>Deletes events an hour after they last happened, as the Kubernetes API server's event TTL does.</summary>
internal sealed partial class EventExpiry(
    IObjectStore store,
    EventRecorder recorder,
    TimeProvider time,
    IOptions<ControlPlaneOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<EventExpiry> logger) : SupervisedBackgroundService(lifetime, logger)
{
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        do
        {
            await ExpireAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    internal async Task ExpireAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.EventTtl;
        foreach (var e in store.List<Event>().Where(e => (e.LastTimestamp?.ToDateTimeOffset() ?? DateTimeOffset.MinValue) < cutoff))
        {
            recorder.Forget(e);
            await store.DeleteAsync<Event>(e.Metadata.Namespace, e.Metadata.Name, e.Metadata.Uid, cancellationToken).ConfigureAwait(false);
        }
    }
}
