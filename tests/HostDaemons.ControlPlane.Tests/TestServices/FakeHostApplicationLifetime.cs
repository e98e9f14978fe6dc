using Microsoft.Extensions.Hosting;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>A host lifetime whose StopApplication only records that it was asked: a supervised loop that dies calls it.</summary>
internal sealed class FakeHostApplicationLifetime : IHostApplicationLifetime, IDisposable
{
    private readonly CancellationTokenSource _started = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _stopped = new();
    private int _stopRequests;

    public CancellationToken ApplicationStarted => _started.Token;

    public CancellationToken ApplicationStopping => _stopping.Token;

    public CancellationToken ApplicationStopped => _stopped.Token;

    public int StopRequests => Volatile.Read(ref _stopRequests);

    public void StopApplication()
    {
        Interlocked.Increment(ref _stopRequests);
        _stopping.Cancel();
    }

    public void Dispose()
    {
        _started.Dispose();
        _stopping.Dispose();
        _stopped.Dispose();
    }
}
