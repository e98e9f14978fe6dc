using System.Threading.Channels;
using Grpc.Core;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>A server stream that hands every written message to the test, in order.</summary>
internal sealed class CollectingStreamWriter<T> : IServerStreamWriter<T>
{
    private readonly Channel<T> _messages = Channel.CreateUnbounded<T>();

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    /// <summary>The default interface implementation refuses cancellable tokens, which the services always pass.</summary>
    public Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _messages.Writer.TryWrite(message);
        return Task.CompletedTask;
    }

    public async Task<T> NextAsync() => await _messages.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().DefaultTimeout();

    public bool TryRead(out T message) => _messages.Reader.TryRead(out message!);
}
