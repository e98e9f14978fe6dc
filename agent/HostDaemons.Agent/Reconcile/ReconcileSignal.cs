using System.Threading.Channels;

namespace HostDaemons.Agent.Reconcile;

/// <summary>Wakes the reconciler: many triggers between two passes make one pass.</summary>
internal sealed class ReconcileSignal(TimeProvider time)
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Trigger() => _channel.Writer.TryWrite(true);

    public void TriggerAfter(TimeSpan delay)
    {
        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            Trigger();
            timer?.Dispose();
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Waits for a trigger, or for <paramref name="timeout"/> to pass on the agent's clock.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var triggered = _channel.Reader.WaitToReadAsync(cts.Token).AsTask();
        var elapsed = Task.Delay(timeout, time, cts.Token);
        await Task.WhenAny(triggered, elapsed).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        _channel.Reader.TryRead(out _);
    }
}
