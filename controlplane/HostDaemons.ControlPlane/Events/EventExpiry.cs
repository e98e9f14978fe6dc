using HostDaemons.ControlPlane.Storage;
using HostDaemons.Hosting;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Options;

namespace HostDaemons.ControlPlane.Events;

/// <summary>
/// Keeps events bounded: each goes an hour after it last happened (the Kubernetes API server's event TTL), and past
/// <c>--max-events</c> the oldest go first, so a flood of events cannot fill the store.
/// </summary>
internal sealed partial class EventExpiry(
    IObjectStore store,
    EventRecorder recorder,
    TimeProvider time,
    IOptions<ControlPlaneOptions> options,
    StoreRetryPolicy retry,
    IHostApplicationLifetime lifetime,
    ILogger<EventExpiry> logger) : SupervisedBackgroundService(lifetime, logger)
{
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        do
        {
            await retry.RunAsync("event expiry", ExpireAsync, stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    internal async Task ExpireAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.EventTtl;
        var events = store.List<Event>().OrderBy(e => e.LastTimestamp?.ToDateTimeOffset() ?? DateTimeOffset.MinValue).ToList();
        var excess = Math.Max(0, events.Count - options.Value.MaxEvents);
        var expired = events.Where((e, i) => i < excess || (e.LastTimestamp?.ToDateTimeOffset() ?? DateTimeOffset.MinValue) < cutoff);
        await Task.WhenAll(expired.Select(e =>
        {
            recorder.Forget(e);
            return store.DeleteAsync<Event>(e.Metadata.Namespace, e.Metadata.Name, e.Metadata.Uid, cancellationToken);
        })).ConfigureAwait(false);
    }
}
