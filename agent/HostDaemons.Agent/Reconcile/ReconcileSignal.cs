using System.Threading.Channels;
using HostDaemons.Hosting;

namespace HostDaemons.Agent.Reconcile;

/// <summary>Wakes the reconciler: many triggers between two passes make one pass.</summary>
internal sealed class ReconcileSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TimeProvider _time;

    /// <summary>One timer for the one pass: the earliest deadline asked for wins.</summary>
    private readonly DeadlineTimers<bool> _delayed;

    public ReconcileSignal(TimeProvider time)
    {
        _time = time;
        _delayed = new DeadlineTimers<bool>(time, _ => Trigger());
    }

    public void Trigger() => _channel.Writer.TryWrite(true);

    public void TriggerAfter(TimeSpan delay) => _delayed.After(true, delay);

    /// <summary>Waits for a trigger, or for <paramref name="timeout"/> to pass on the agent's clock.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var triggered = _channel.Reader.WaitToReadAsync(cts.Token).AsTask();
        var elapsed = Task.Delay(timeout, _time, cts.Token);
        await Task.WhenAny(triggered, elapsed).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        _channel.Reader.TryRead(out _);
    }
}
