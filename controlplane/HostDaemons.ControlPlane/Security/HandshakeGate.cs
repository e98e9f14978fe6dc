using Microsoft.AspNetCore.Connections;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// Caps the TLS handshakes in progress at the listener. Without it, a fleet reconnecting at once (a control plane
/// restart) starts every handshake together: they share the cores, all finish late, and clients whose connect timeout
/// runs out first give up on handshakes the control plane has already paid for, then come back and do it again
/// (docs/benchmarks.md, fan-out over TLS). With the cap, each handshake runs with the cores nearly to itself and finishes well inside its client's timeout.
/// A connection takes a slot only once its first bytes (the ClientHello) have arrived, so idle sockets hold none; one
/// that waits longer than the handshake timeout for either, or whose client closed it while it queued, is closed
/// without a handshake. A slot is given back
/// when the handshake ends, either way; a stalled handshake holds it for at most <see cref="ServerTls.HandshakeTimeout"/>.
/// </summary>
internal sealed class HandshakeGate(int limit, TimeProvider time)
{
    private static readonly object s_slotKey = new();

    private readonly Lock _lock = new();

    /// <summary>Connections waiting for a slot, newest first.</summary>
    private readonly LinkedList<TaskCompletionSource<bool>> _waiting = [];

    private readonly int _limit = limit;

    private int _free = limit;

    /// <summary>
    /// The default cap, 512 per core. A handshake holds its slot for round trips to its client as well as for the
    /// control plane's work (about 3 ms of CPU), so the cap must be well above what the cores can do at once or slow
    /// clients would leave them idle; and low enough that the work in flight (512 × 3 ms per core) finishes well inside
    /// a client's 5 s connect timeout.
    /// </summary>
    public static int DefaultLimit => 512 * Math.Max(1, Environment.ProcessorCount);

    /// <summary>Handshakes in progress now.</summary>
    public int InProgress
    {
        get
        {
            lock (_lock)
            {
                return _limit - _free;
            }
        }
    }

    /// <summary>The connection middleware that goes before <c>UseHttps</c>: waits for the ClientHello and a slot.</summary>
    public ConnectionDelegate BeforeHandshake(ConnectionDelegate next) => context => EnterAsync(context, next);

    /// <summary>The connection middleware that goes after <c>UseHttps</c>: the handshake is done, its slot is free.</summary>
    public static ConnectionDelegate AfterHandshake(ConnectionDelegate next) => context =>
    {
        (context.Items.TryGetValue(s_slotKey, out var slot) ? slot as Slot : null)?.Release();
        return next(context);
    };

    private async Task EnterAsync(ConnectionContext context, ConnectionDelegate next)
    {
        using var wait = new CancellationTokenSource(ServerTls.HandshakeTimeout, time);
        using var closed = context.ConnectionClosed.Register(static w => ((CancellationTokenSource)w!).Cancel(), wait);
        try
        {
            var input = context.Transport.Input;
            var first = await input.ReadAsync(wait.Token).ConfigureAwait(false);
            var empty = first.Buffer.IsEmpty;
            input.AdvanceTo(first.Buffer.Start);
            if (empty)
            {
                return;
            }

            if (!await AcquireAsync(wait.Token).ConfigureAwait(false))
            {
                return;
            }

            // A client that gave up while this one queued has sent its FIN after the ClientHello: no handshake for it.
            if (input.TryRead(out var queued))
            {
                var gone = queued.IsCompleted;
                input.AdvanceTo(queued.Buffer.Start);
                if (gone)
                {
                    Release();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var slot = new Slot(this);
        context.Items[s_slotKey] = slot;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            slot.Release();
        }
    }

    /// <summary>
    /// A free slot at once, else a place at the front of the queue: under overload the newest connection, whose client
    /// is surely still waiting, goes first, and the oldest, whose client has most likely given up, wait out their
    /// timeout (adaptive LIFO). An administrator's call made during a fleet's reconnect storm is not queued behind it.
    /// </summary>
    private async ValueTask<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<bool> waiter;
        LinkedListNode<TaskCompletionSource<bool>> place;
        lock (_lock)
        {
            if (_free > 0)
            {
                _free--;
                return true;
            }

            waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            place = _waiting.AddFirst(waiter);
        }

        await using var cancel = cancellationToken.Register(() =>
        {
            lock (_lock)
            {
                if (place.List is not null)
                {
                    _waiting.Remove(place);
                }
            }

            waiter.TrySetResult(false);
        }).ConfigureAwait(false);
        return await waiter.Task.ConfigureAwait(false);
    }

    private void Release()
    {
        while (true)
        {
            TaskCompletionSource<bool> next;
            lock (_lock)
            {
                if (_waiting.First is not { } first)
                {
                    _free++;
                    return;
                }

                _waiting.RemoveFirst();
                next = first.Value;
            }

            // A waiter whose wait was cancelled after it left the queue declines the slot: the next one gets it.
            if (next.TrySetResult(true))
            {
                return;
            }
        }
    }

    private sealed class Slot(HandshakeGate gate)
    {
        private int _released;

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
