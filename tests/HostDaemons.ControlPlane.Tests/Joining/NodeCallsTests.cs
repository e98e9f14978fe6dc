using HostDaemons.ControlPlane.Joining;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace HostDaemons.ControlPlane.Tests.Joining;

public sealed class NodeCallsTests
{
    [Fact]
    public void AbortAll_ResetsEveryOpenCallOfThatNodeOnly()
    {
        var calls = new NodeCalls();
        var (watch, watchAborted) = Call();
        var (requests, requestsAborted) = Call();
        var (other, otherAborted) = Call();
        using var a1 = calls.Track("web-01", watch);
        using var a2 = calls.Track("web-01", requests);
        using var b = calls.Track("web-02", other);

        var aborted = calls.AbortAll("web-01");

        Assert.Equal(2, aborted);
        Assert.True(watchAborted.Aborted && requestsAborted.Aborted);
        Assert.False(otherAborted.Aborted);
    }

    [Fact]
    public void Track_Disposed_NoLongerCountedNorAborted()
    {
        var calls = new NodeCalls();
        var (call, lifetime) = Call();
        var registration = calls.Track("web-01", call);
        Assert.Equal(1, calls.Count("web-01"));

        registration.Dispose();

        Assert.Equal(0, calls.Count("web-01"));
        Assert.Equal(0, calls.AbortAll("web-01"));
        Assert.False(lifetime.Aborted);
    }

    private static (HttpContext Call, RecordingLifetime Lifetime) Call()
    {
        var lifetime = new RecordingLifetime();
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpRequestLifetimeFeature>(lifetime);
        return (context, lifetime);
    }

    private sealed class RecordingLifetime : IHttpRequestLifetimeFeature
    {
        public bool Aborted { get; private set; }

        public CancellationToken RequestAborted { get; set; }

        public void Abort() => Aborted = true;
    }
}
