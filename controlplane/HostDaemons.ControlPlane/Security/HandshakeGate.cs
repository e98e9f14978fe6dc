using Microsoft.AspNetCore.Connections;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// Caps the TLS handshakes in progress at the listener. Without it, a fleet reconnecting at once (a control plane
/// restart) starts every handshake together: they share the cores, all finish late, and clients whose connect timeout
/// runs out first give up on handshakes the control plane has already paid for, then come back and do it again
/// (docs/benchmarks.md, fan-out over TLS). With the cap, handshakes finish in arrival order at the rate the cores allow.
/// A connection takes a slot only once its first bytes (the ClientHello) have arrived, so idle sockets hold none; one
/// that waits longer than the handshake timeout for either, or whose client closed it while it queued, is closed
/// without a handshake. A slot is given back
/// when the handshake ends, either way; a stalled handshake holds it for at most <see cref="ServerTls.HandshakeTimeout"/>.
/// </summary>
internal sealed class HandshakeGate(int limit, TimeProvider time) : IDisposable
{
    private static readonly object s_slotKey = new();

    private readonly SemaphoreSlim _slots = new(limit, limit);

    /// <summary>The default cap: enough in flight to keep every core busy, few enough that each finishes in well under a client's connect timeout.</summary>
    public static int DefaultLimit => Math.Max(16, 64 * Environment.ProcessorCount);

    /// <summary>Handshakes in progress now.</summary>
    public int InProgress => limit - _slots.CurrentCount;

    /// <summary>The connection middleware that goes before <c>UseHttps</c>: waits for the ClientHello and a slot.</summary>
    public ConnectionDelegate BeforeHandshake(ConnectionDelegate next) => context => EnterAsync(context, next);

    /// <summary>The connection middleware that goes after <c>UseHttps</c>: the handshake is done, its slot is free.</summary>
    public static ConnectionDelegate AfterHandshake(ConnectionDelegate next) => context =>
    {
        (context.Items.TryGetValue(s_slotKey, out var slot) ? slot as Slot : null)?.Release();
        return next(context);
    };

    public void Dispose() => _slots.Dispose();

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

            await _slots.WaitAsync(wait.Token).ConfigureAwait(false);

            // A client that gave up while this one queued has sent its FIN after the ClientHello: no handshake for it.
            if (input.TryRead(out var queued))
            {
                var gone = queued.IsCompleted;
                input.AdvanceTo(queued.Buffer.Start);
                if (gone)
                {
                    _slots.Release();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var slot = new Slot(_slots);
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

    private sealed class Slot(SemaphoreSlim slots)
    {
        private int _released;

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
