using System.Threading.Channels;
using Grpc.Core;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>A server stream that hands every written message to the test, in order; <see cref="Hold"/> makes it a slow client.</summary>
internal sealed class CollectingStreamWriter<T> : IServerStreamWriter<T>
{
    private readonly Channel<T> _messages = Channel.CreateUnbounded<T>();
    private TaskCompletionSource? _held;

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    /// <summary>The default interface implementation refuses cancellable tokens, which the services always pass.</summary>
    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Volatile.Read(ref _held) is { } held)
        {
            await held.Task.WaitAsync(cancellationToken);
        }

        _messages.Writer.TryWrite(message);
    }

    /// <summary>Writes wait from now on until <see cref="Release"/>, as to a client that stopped reading.</summary>
    public void Hold() => Volatile.Write(ref _held, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Release() => Interlocked.Exchange(ref _held, null)?.TrySetResult();

    /// <summary>The messages written and not read yet.</summary>
    public int Count => _messages.Reader.Count;

    public async Task<T> NextAsync() => await _messages.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().DefaultTimeout();

    public bool TryRead(out T message) => _messages.Reader.TryRead(out message!);
}
