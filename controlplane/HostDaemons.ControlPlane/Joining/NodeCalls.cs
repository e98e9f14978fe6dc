using System.Collections.Concurrent;

namespace HostDaemons.ControlPlane.Joining;

/// <summary>
/// The calls each node (by its certificate) has open, so revoking its certificates can end them at once: a watch
/// already admitted would otherwise run until the node hangs up.
/// </summary>
internal sealed class NodeCalls
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<HttpContext, byte>> _calls = new(StringComparer.Ordinal);

    /// <summary>Registers a call until the returned handle is disposed.</summary>
    public IDisposable Track(string nodeName, HttpContext call)
    {
        var calls = _calls.GetOrAdd(nodeName, _ => new ConcurrentDictionary<HttpContext, byte>());
        calls[call] = 0;
        return new Registration(calls, call);
    }

    public int Count(string nodeName) => _calls.TryGetValue(nodeName, out var calls) ? calls.Count : 0;

    /// <summary>Resets every open call of the node (the HTTP/2 stream); returns how many.</summary>
    public int AbortAll(string nodeName)
    {
        if (!_calls.TryGetValue(nodeName, out var calls))
        {
            return 0;
        }

        var aborted = 0;
        foreach (var call in calls.Keys)
        {
            call.Abort();
            aborted++;
        }

        return aborted;
    }

    private sealed class Registration(ConcurrentDictionary<HttpContext, byte> calls, HttpContext call) : IDisposable
    {
        public void Dispose() => calls.TryRemove(call, out _);
    }
}
