using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Nodes;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>One agent's watch on a <see cref="NodeAssignmentHub"/>, read message by message with bounded waits.</summary>
internal sealed class HubWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly IAsyncEnumerator<WatchPodsResponse> _enumerator;
    private Task<bool>? _pending;

    public HubWatch(NodeAssignmentHub hub, string nodeName, long resumeRevision = 0)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        _enumerator = hub.WatchAsync(nodeName, resumeRevision, _cts.Token).GetAsyncEnumerator(_cts.Token);
    }

    public async Task<WatchPodsResponse> NextAsync()
    {
        _pending ??= _enumerator.MoveNextAsync().AsTask();
        var moved = await _pending.DefaultTimeout();
        _pending = null;
        Assert.True(moved, "the watch ended");
        return _enumerator.Current;
    }

    public async Task<PodSnapshot> SnapshotAsync()
    {
        var message = await NextAsync();
        Assert.Equal(WatchPodsResponse.EventOneofCase.Snapshot, message.EventCase);
        return message.Snapshot;
    }

    public async Task<PodChanges> ChangesAsync()
    {
        var message = await NextAsync();
        Assert.Equal(WatchPodsResponse.EventOneofCase.Changes, message.EventCase);
        return message.Changes;
    }

    /// <summary>Reads change messages until one reaches <paramref name="revision"/>; returns every change read.</summary>
    public async Task<List<PodChange>> ChangesThroughAsync(long revision)
    {
        var all = new List<PodChange>();
        while (true)
        {
            var changes = await ChangesAsync();
            all.AddRange(changes.Changes);
            if (changes.Revision >= revision)
            {
                return all;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        if (_pending is not null)
        {
            try
            {
                await _pending.DefaultTimeout();
            }
            catch (OperationCanceledException)
            {
            }
        }

        await _enumerator.DisposeAsync();
        _cts.Dispose();
    }
}
