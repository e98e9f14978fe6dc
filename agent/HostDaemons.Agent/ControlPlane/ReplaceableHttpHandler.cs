namespace HostDaemons.Agent.ControlPlane;

/// <summary>
/// The HTTP handler of the agent's one gRPC channel, which can be swapped for a new one: after a join or a certificate
/// renewal the channel (and every client made from it) stays, and its calls go over new connections that present the
/// new certificate. The old handler is disposed, which ends the calls still on its connections; the session reconnects.
/// </summary>
internal sealed class ReplaceableHttpHandler(HttpMessageHandler inner) : HttpMessageHandler
{
    private HttpMessageInvoker _inner = new(inner, disposeHandler: true);

    public void Replace(HttpMessageHandler handler)
    {
        var previous = Interlocked.Exchange(ref _inner, new HttpMessageInvoker(handler, disposeHandler: true));
        previous.Dispose();
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Volatile.Read(ref _inner).SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
