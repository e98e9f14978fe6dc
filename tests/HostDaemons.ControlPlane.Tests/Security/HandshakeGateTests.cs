using System.IO.Pipelines;
using HostDaemons.ControlPlane.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.ControlPlane.Tests.Security;

public sealed class HandshakeGateTests
{
    private static readonly byte[] s_clientHello = [0x16, 0x03, 0x01, 0x00, 0x05];

    [Fact]
    public async Task BeforeHandshake_NoBytesYet_TakesNoSlotUntilTheClientHelloArrives()
    {
        var gate = new HandshakeGate(1, new FakeTimeProvider());
        var (connection, client) = Connection();
        var handshakes = new Handshakes();

        var run = gate.BeforeHandshake(handshakes.Tls(handshakes.Connection))(connection);

        Assert.Equal(0, gate.InProgress);
        Assert.Equal(0, handshakes.Started);
        await client.Output.WriteAsync(s_clientHello, TestContext.Current.CancellationToken);
        await handshakes.WaitStartedAsync(1);
        Assert.Equal(1, gate.InProgress);

        handshakes.FinishAll();
        await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(0, gate.InProgress);
    }

    [Fact]
    public async Task BeforeHandshake_AtTheLimit_WaitsForAHandshakeToEnd()
    {
        var gate = new HandshakeGate(1, new FakeTimeProvider());
        var handshakes = new Handshakes();
        var (first, firstClient) = Connection();
        var (second, secondClient) = Connection();
        await firstClient.Output.WriteAsync(s_clientHello, TestContext.Current.CancellationToken);
        await secondClient.Output.WriteAsync(s_clientHello, TestContext.Current.CancellationToken);

        var firstRun = gate.BeforeHandshake(handshakes.Tls(HandshakeGate.AfterHandshake(handshakes.Connection)))(first);
        await handshakes.WaitStartedAsync(1);
        var secondRun = gate.BeforeHandshake(handshakes.Tls(HandshakeGate.AfterHandshake(handshakes.Connection)))(second);
        await Task.Yield();
        Assert.Equal(1, handshakes.Started);

        // The first handshake completes: AfterHandshake gives the slot back while its connection goes on.
        handshakes.CompleteHandshake(0);
        await handshakes.WaitStartedAsync(2);
        Assert.False(firstRun.IsCompleted);

        handshakes.FinishAll();
        await Task.WhenAll(firstRun, secondRun).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(0, gate.InProgress);
    }

    [Fact]
    public async Task BeforeHandshake_SeveralQueued_NewestGoesFirst()
    {
        var gate = new HandshakeGate(1, new FakeTimeProvider());
        var handshakes = new Handshakes();
        var connections = Enumerable.Range(0, 3).Select(_ => Connection()).ToList();
        foreach (var (_, client) in connections)
        {
            await client.Output.WriteAsync(s_clientHello, TestContext.Current.CancellationToken);
        }

        var runs = new List<Task> { gate.BeforeHandshake(handshakes.Tls(HandshakeGate.AfterHandshake(handshakes.Connection)))(connections[0].Server) };
        await handshakes.WaitStartedAsync(1);
        runs.Add(gate.BeforeHandshake(handshakes.Tls(HandshakeGate.AfterHandshake(handshakes.Connection)))(connections[1].Server));
        runs.Add(gate.BeforeHandshake(handshakes.Tls(HandshakeGate.AfterHandshake(handshakes.Connection)))(connections[2].Server));
        await Task.Yield();

        handshakes.CompleteHandshake(0);
        await handshakes.WaitStartedAsync(2);

        // Under overload the newest connection's client is the one surely still waiting.
        Assert.Same(connections[2].Server, handshakes.ContextOf(1));
        handshakes.FinishAll();
        await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(0, gate.InProgress);
    }

    [Fact]
    public async Task BeforeHandshake_ClientGaveUpWhileQueued_NoHandshake()
    {
        var gate = new HandshakeGate(1, new FakeTimeProvider());
        var handshakes = new Handshakes();
        var (first, firstClient) = Connection();
        var (second, secondClient) = Connection();
        await firstClient.Output.WriteAsync(s_clientHello, TestContext.Current.CancellationToken);
        var firstRun = gate.BeforeHandshake(handshakes.Tls(handshakes.Connection))(first);
        await handshakes.WaitStartedAsync(1);

        await secondClient.Output.WriteAsync(s_clientHello, TestContext.Current.CancellationToken);
        var secondRun = gate.BeforeHandshake(handshakes.Tls(handshakes.Connection))(second);
        await secondClient.Output.CompleteAsync();
        handshakes.FinishAll();
        await Task.WhenAll(firstRun, secondRun).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(1, handshakes.Started);
        Assert.Equal(0, gate.InProgress);
    }

    [Fact]
    public async Task BeforeHandshake_SilentPastTheHandshakeTimeout_ClosedWithoutAHandshake()
    {
        var time = new FakeTimeProvider();
        var gate = new HandshakeGate(1, time);
        var handshakes = new Handshakes();
        var (connection, _) = Connection();

        var run = gate.BeforeHandshake(handshakes.Tls(handshakes.Connection))(connection);
        time.Advance(ServerTls.HandshakeTimeout);
        await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(0, handshakes.Started);
        Assert.Equal(0, gate.InProgress);
    }

    private static (DefaultConnectionContext Server, IDuplexPipe Client) Connection()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var server = new DefaultConnectionContext { Transport = new DuplexPipe(toServer.Reader, toClient.Writer) };
        return (server, new DuplexPipe(toClient.Reader, toServer.Writer));
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>Stand-ins for the TLS middleware and the connection behind it, each lasting until the test ends it.</summary>
    private sealed class Handshakes
    {
        private readonly List<(ConnectionContext Context, TaskCompletionSource Done)> _runs = [];
        private readonly SemaphoreSlim _started = new(0);
        private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Started { get { lock (_runs) { return _runs.Count; } } }

        /// <summary>The TLS middleware: its handshake lasts until <see cref="CompleteHandshake"/>, then the connection goes on.</summary>
        public ConnectionDelegate Tls(ConnectionDelegate next) => async context =>
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_runs)
            {
                _runs.Add((context, done));
            }

            _started.Release();
            await Task.WhenAny(done.Task, _finish.Task);
            await next(context);
        };

        /// <summary>The connection after its handshake: open until <see cref="FinishAll"/>.</summary>
        public ConnectionDelegate Connection => _ => _finish.Task;

        public async Task WaitStartedAsync(int count)
        {
            while (Started < count)
            {
                Assert.True(await _started.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken), "no handshake started");
            }
        }

        public ConnectionContext ContextOf(int index)
        {
            lock (_runs)
            {
                return _runs[index].Context;
            }
        }

        public void CompleteHandshake(int index)
        {
            lock (_runs)
            {
                _runs[index].Done.SetResult();
            }
        }

        public void FinishAll()
        {
            lock (_runs)
            {
                foreach (var run in _runs)
                {
                    run.Done.TrySetResult();
                }
            }

            _finish.TrySetResult();
        }
    }
}
