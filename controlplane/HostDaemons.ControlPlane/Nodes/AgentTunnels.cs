using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using HostDaemons.Api.V1;

namespace HostDaemons.ControlPlane.Nodes;

/// <summary>
/// Requests the control plane relays to agents over connections the agents opened, so hosts behind NAT still serve
/// logs: each agent holds a request stream open, and answers a request by uploading on a stream of its own.
/// </summary>
internal sealed class AgentTunnels
{
    private static readonly TimeSpan s_answerTimeout = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, Channel<AgentRequest>> _agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingRequest> _pending = new(StringComparer.Ordinal);

    public bool IsConnected(string nodeName) => _agents.ContainsKey(nodeName);

    /// <summary>Registers the agent's request stream; a newer connection from the same node replaces an older one.</summary>
    public ChannelReader<AgentRequest> Connect(string nodeName)
    {
        var channel = Channel.CreateUnbounded<AgentRequest>(new UnboundedChannelOptions { SingleReader = true });
        _agents.AddOrUpdate(nodeName, channel, (_, old) =>
        {
            old.Writer.TryComplete();
            return channel;
        });
        return channel.Reader;
    }

    public void Disconnect(string nodeName, ChannelReader<AgentRequest> reader)
    {
        if (_agents.TryGetValue(nodeName, out var current) && current.Reader == reader)
        {
            _agents.TryRemove(new KeyValuePair<string, Channel<AgentRequest>>(nodeName, current));
        }
    }

    /// <summary>Asks the node's agent for a pod's logs and streams them as they arrive.</summary>
    public async IAsyncEnumerable<ByteString> StreamLogsAsync(string nodeName, PodLogsRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!_agents.TryGetValue(nodeName, out var agent))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"the agent of node \"{nodeName}\" is not connected"));
        }

        var id = Guid.NewGuid().ToString("N");
        using var pending = new PendingRequest(nodeName);
        _pending[id] = pending;
        try
        {
            await agent.Writer.WriteAsync(new AgentRequest { RequestId = id, Logs = request }, cancellationToken).ConfigureAwait(false);
            var header = await pending.Header.Task.WaitAsync(s_answerTimeout, cancellationToken).ConfigureAwait(false);
            if (header.Error.Length > 0)
            {
                var code = Enum.TryParse<StatusCode>(header.ErrorCode, out var parsed) ? parsed : StatusCode.Unknown;
                throw new RpcException(new Status(code, header.Error));
            }

            await foreach (var data in pending.Data.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return data;
            }
        }
        finally
        {
            _pending.TryRemove(id, out _);
            pending.Cancel();
        }
    }

    /// <summary>Feeds an agent's upload into the request waiting for it; returns when either side is done.</summary>
    public async Task AcceptUploadAsync(string nodeName, IAsyncStreamReader<LogsUpload> upload, CancellationToken cancellationToken)
    {
        if (!await upload.MoveNext(cancellationToken).ConfigureAwait(false) || upload.Current.PartCase != LogsUpload.PartOneofCase.Header)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "a logs upload starts with its header"));
        }

        var header = upload.Current.Header;
        if (!_pending.TryGetValue(header.RequestId, out var pending) || pending.NodeName != nodeName)
        {
            return;
        }

        CancellationToken requestEnded;
        try
        {
            requestEnded = pending.Cancelled;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        pending.Header.TrySetResult(header);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, requestEnded);
        try
        {
            while (await upload.MoveNext(linked.Token).ConfigureAwait(false))
            {
                if (upload.Current.PartCase == LogsUpload.PartOneofCase.Data)
                {
                    await pending.Data.Writer.WriteAsync(upload.Current.Data, linked.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException && requestEnded.IsCancellationRequested)
        {
        }
        finally
        {
            pending.Data.Writer.TryComplete();
        }
    }

    private sealed class PendingRequest(string nodeName) : IDisposable
    {
        private readonly CancellationTokenSource _cancel = new();

        public string NodeName { get; } = nodeName;

        public TaskCompletionSource<LogsUploadHeader> Header { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Channel<ByteString> Data { get; } = Channel.CreateBounded<ByteString>(64);

        public CancellationToken Cancelled => _cancel.Token;

        public void Cancel()
        {
            _cancel.Cancel();
            Data.Writer.TryComplete();
        }

        public void Dispose() => _cancel.Dispose();
    }
}
