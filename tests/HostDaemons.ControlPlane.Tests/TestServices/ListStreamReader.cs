using Grpc.Core;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>A client stream that yields the given messages, then ends.</summary>
internal sealed class ListStreamReader<T>(params T[] messages) : IAsyncStreamReader<T>
{
    private int _next = -1;

    public T Current => messages[_next];

    public Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _next++;
        return Task.FromResult(_next < messages.Length);
    }
}
