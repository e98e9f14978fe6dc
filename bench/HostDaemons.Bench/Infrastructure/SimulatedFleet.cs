using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using HostDaemons.Api.V1;
using HostDaemons.Hosting;
using HostDaemons.Model.V1;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>
/// N simulated agents in this process, no Docker: each registers, heartbeats, holds a WatchPods stream, reports its
/// pods Running and Ready as soon as they arrive, and reports a terminating pod terminated. In plaintext (development
/// mode) the agents share a few HTTP/2 connections (a channel opens more when the server's 100-stream limit is
/// reached) and name themselves with the <c>hostdaemons-node</c> header; over mTLS each has its own client certificate,
/// hence its own channel and TLS connection, as real agents do. After losing its stream it
/// registers and watches again with the real agent's back-off (0.5 s doubling to 30 s, jittered), resuming from its
/// last revision.
/// </summary>
internal sealed class SimulatedFleet : IAsyncDisposable
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(60);

    private readonly GrpcChannel[] _channels;
    private readonly X509Certificate2[] _certificates = [];
    private readonly SimulatedAgent[] _agents;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<(SimulatedAgent Agent, PodStatusReport Report)> _reports = Channel.CreateUnbounded<(SimulatedAgent, PodStatusReport)>();
    private readonly List<Task> _loops = [];
    private TimeSpan _heartbeatInterval = TimeSpan.FromSeconds(10);
    private volatile Receipts? _receipts;
    private long _heartbeatFailures;

    /// <summary>Plaintext, against a development-mode control plane: <paramref name="count"/> agents over <paramref name="channels"/> shared channels.</summary>
    public SimulatedFleet(string url, string prefix, int count, int channels = 4, TimeSpan? connectTimeout = null)
    {
        _channels = Enumerable.Range(0, channels).Select(_ => NewChannel(url, tls: null, connectTimeout)).ToArray();
        _agents = Enumerable.Range(0, count)
            .Select(i => new SimulatedAgent(this, i, NodeName(prefix, i), new NodeService.NodeServiceClient(_channels[i % channels]), nameByHeader: true))
            .ToArray();
    }

    /// <summary>
    /// Over mTLS: <paramref name="count"/> agents, each with a node certificate issued here by <paramref name="pki"/>
    /// (the time it took is <see cref="IssueTime"/>) and its own channel, so its own TLS connection.
    /// </summary>
    public SimulatedFleet(string url, string prefix, int count, BenchPki pki, TimeSpan? connectTimeout = null)
    {
        var watch = Stopwatch.StartNew();
        _certificates = Enumerable.Range(0, count).Select(i => pki.IssueNode(NodeName(prefix, i))).ToArray();
        IssueTime = watch.Elapsed;
        _channels = _certificates.Select(certificate => NewChannel(url, pki.ClientOptions(certificate), connectTimeout)).ToArray();
        _agents = Enumerable.Range(0, count)
            .Select(i => new SimulatedAgent(this, i, NodeName(prefix, i), new NodeService.NodeServiceClient(_channels[i]), nameByHeader: false))
            .ToArray();
    }

    public int Count => _agents.Length;

    /// <summary>Over mTLS: the time to issue the agents' certificates (a key pair and a signature each); zero in plaintext.</summary>
    public TimeSpan IssueTime { get; }

    /// <summary>The TLS connections the agents hold (one each), or the shared plaintext channels.</summary>
    public int Connections => _channels.Length;

    /// <summary>False: agents never report status (for profiling: the controller and fan-out alone). Rolling updates then stall.</summary>
    public bool ReportStatus { get; init; } = true;

    public long HeartbeatFailures => Interlocked.Read(ref _heartbeatFailures);

    /// <summary>Registers every agent, then opens every watch; returns when all have their first message.</summary>
    public async Task<(TimeSpan Register, TimeSpan Watch)> StartAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(_agents, new ParallelOptions { MaxDegreeOfParallelism = 200, CancellationToken = cancellationToken }, async (agent, ct) =>
        {
            var response = await agent.RegisterAsync(ct);
            _heartbeatInterval = TimeSpan.FromSeconds(Math.Max(1, response.HeartbeatIntervalSeconds));
        });
        var register = watch.Elapsed;
        foreach (var agent in _agents)
        {
            _loops.Add(Task.Run(() => agent.RunAsync(_stop.Token), CancellationToken.None));
        }

        await WaitConnectedAsync(0, TimeSpan.FromMinutes(5), cancellationToken);
        var connected = watch.Elapsed - register;
        _loops.Add(Task.Run(() => HeartbeatLoopAsync(_stop.Token), CancellationToken.None));
        for (var i = 0; i < 64; i++)
        {
            _loops.Add(Task.Run(() => ReportLoopAsync(_stop.Token), CancellationToken.None));
        }

        return (register, connected);
    }

    /// <summary>The number of sessions each agent has had; after a control plane restart, wait for one more.</summary>
    public int MinimumSessions => _agents.Min(a => a.Sessions);

    /// <summary>Waits until every agent's watch delivered its first message in a session later than <paramref name="after"/>.</summary>
    public async Task WaitConnectedAsync(int after, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (_agents.Any(a => a.Sessions <= after))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                var waiting = _agents.Count(a => a.Sessions <= after);
                throw new BenchFailedException($"{waiting} of {_agents.Length} simulated agents not connected after {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Milliseconds from <paramref name="since"/> (a Stopwatch timestamp) to each agent's first message of a later session.</summary>
    public double[] SessionStartTimes(long since) =>
        _agents.Select(a => Stopwatch.GetElapsedTime(since, a.SessionStartedAt).TotalMilliseconds).ToArray();

    /// <summary>From now on, records when each agent first receives a pod <paramref name="match"/> accepts.</summary>
    public Receipts Expect(Func<Pod, bool> match)
    {
        var receipts = new Receipts(match, _agents.Length);
        _receipts = receipts;
        return receipts;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _reports.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or RpcException)
        {
        }

        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        foreach (var certificate in _certificates)
        {
            certificate.Dispose();
        }

        _stop.Dispose();
    }

    /// <summary>The name of simulated agent <paramref name="index"/>.</summary>
    public static string NodeName(string prefix, int index) => $"{prefix}-s{index}";

    /// <summary>A channel as the agent's: keepalive pings, and 5 s (the agent's) to connect, TLS handshake included, unless told otherwise.</summary>
    private static GrpcChannel NewChannel(string url, SslClientAuthenticationOptions? tls, TimeSpan? connectTimeout) => GrpcChannel.ForAddress(url, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(5),
            SslOptions = tls ?? new(),
        },
        ThrowOperationCanceledOnCancellation = true,
    });

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        // Every agent once per interval, spread evenly over it, as independent agents would be.
        var gate = new SemaphoreSlim(500);
        while (!cancellationToken.IsCancellationRequested)
        {
            var round = Stopwatch.StartNew();
            for (var i = 0; i < _agents.Length && !cancellationToken.IsCancellationRequested; i++)
            {
                var due = _heartbeatInterval * ((double)i / _agents.Length);
                if (due > round.Elapsed)
                {
                    await Task.Delay(due - round.Elapsed, cancellationToken);
                }

                await gate.WaitAsync(cancellationToken);
                var agent = _agents[i];
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await agent.HeartbeatAsync(cancellationToken);
                    }
                    catch (Exception ex) when (ex is RpcException or OperationCanceledException or HttpRequestException)
                    {
                        Interlocked.Increment(ref _heartbeatFailures);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }, CancellationToken.None);
            }

            var rest = _heartbeatInterval - round.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, cancellationToken);
            }
        }
    }

    private async Task ReportLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (agent, report) in _reports.Reader.ReadAllAsync(cancellationToken))
            {
                var request = new ReportPodStatusRequest();
                request.Reports.Add(report);
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        await agent.Client.ReportPodStatusAsync(request, agent.Headers, DateTime.UtcNow + s_callTimeout, cancellationToken);
                        break;
                    }
                    catch (RpcException) when (attempt < 20 && !cancellationToken.IsCancellationRequested)
                    {
                        await Task.Delay(500, cancellationToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Received(SimulatedAgent agent, Pod pod)
    {
        _receipts?.Offer(agent.Index, pod);
        if (!ReportStatus)
        {
            return;
        }

        var key = new PodKey { Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid };
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            if (agent.Terminated.TryAdd(pod.Metadata.Uid, 0))
            {
                _reports.Writer.TryWrite((agent, new PodStatusReport { Pod = key, Terminated = true }));
            }
        }
        else if (agent.Reported.TryAdd(pod.Metadata.Uid, 0))
        {
            _reports.Writer.TryWrite((agent, new PodStatusReport { Pod = key, Status = RunningStatus(pod) }));
        }
    }

    private static PodStatus RunningStatus(Pod pod)
    {
        var now = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        var status = new PodStatus { Phase = "Running", HostIp = "127.0.0.1", StartTime = now };
        foreach (var type in new[] { "PodScheduled", "Initialized", "ContainersReady", "Ready" })
        {
            status.Conditions.Add(new PodCondition { Type = type, Status = "True", LastTransitionTime = now });
        }

        foreach (var container in pod.Spec.Containers)
        {
            status.ContainerStatuses.Add(new ContainerStatus
            {
                Name = container.Name,
                Image = container.Image,
                ImageId = "sha256:simulated",
                ContainerId = "docker://simulated",
                Ready = true,
                Started = true,
                State = new ContainerState { Running = new ContainerStateRunning { StartedAt = now } },
            });
        }

        return status;
    }

    /// <summary>When each agent first received a matching pod, in milliseconds since <see cref="Expect"/>.</summary>
    internal sealed class Receipts(Func<Pod, bool> match, int count)
    {
        private readonly long _start = Stopwatch.GetTimestamp();
        private readonly DateTimeOffset _wallStart = DateTimeOffset.UtcNow;
        private readonly double[] _times = Enumerable.Repeat(double.NaN, count).ToArray();
        private readonly ConcurrentQueue<double> _inOrder = new();
        private readonly ConcurrentQueue<(double Created, double Delivery)> _stages = new();
        private int _received;

        public int Received => Volatile.Read(ref _received);

        /// <summary>Receipt times in the order they happened.</summary>
        public IReadOnlyList<double> InOrder => [.. _inOrder];

        /// <summary>For each receipt: when the control plane created the pod (its creationTimestamp, ms from the start) and how long it took to arrive after that.</summary>
        public IReadOnlyList<(double Created, double Delivery)> Stages => [.. _stages];

        public void Offer(int agent, Pod pod)
        {
            if (!double.IsNaN(Volatile.Read(ref _times[agent])) || !match(pod))
            {
                return;
            }

            var ms = Stopwatch.GetElapsedTime(_start).TotalMilliseconds;
            if (double.IsNaN(Interlocked.CompareExchange(ref _times[agent], ms, double.NaN)))
            {
                _inOrder.Enqueue(ms);
                if (pod.Metadata.CreationTimestamp is { } created)
                {
                    var createdMs = (created.ToDateTimeOffset() - _wallStart).TotalMilliseconds;
                    _stages.Enqueue((createdMs, (DateTimeOffset.UtcNow - created.ToDateTimeOffset()).TotalMilliseconds));
                }

                Interlocked.Increment(ref _received);
            }
        }

        public async Task WaitAsync(int atLeast, TimeSpan timeout, string what, CancellationToken cancellationToken)
        {
            var deadline = DateTimeOffset.UtcNow + timeout;
            while (Received < atLeast)
            {
                if (DateTimeOffset.UtcNow > deadline)
                {
                    throw new BenchFailedException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}: {Received} of {atLeast}");
                }

                await Task.Delay(5, cancellationToken);
            }
        }
    }

    /// <summary>One agent; with <c>nameByHeader</c> its calls carry the development mode's <c>hostdaemons-node</c> header (over TLS its certificate names it).</summary>
    private sealed class SimulatedAgent(SimulatedFleet fleet, int index, string name, NodeService.NodeServiceClient client, bool nameByHeader)
    {
        private long _revision;
        private int _sessions;
        private long _sessionStartedAt;

        public int Index { get; } = index;

        public NodeService.NodeServiceClient Client { get; } = client;

        public Metadata? Headers { get; } = nameByHeader ? new() { { "hostdaemons-node", name } } : null;

        public ConcurrentDictionary<string, byte> Reported { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, byte> Terminated { get; } = new(StringComparer.Ordinal);

        public int Sessions => Volatile.Read(ref _sessions);

        public long SessionStartedAt => Interlocked.Read(ref _sessionStartedAt);

        public Task<RegisterResponse> RegisterAsync(CancellationToken cancellationToken)
        {
            var request = new RegisterRequest();
            request.Labels["kubernetes.io/hostname"] = name;
            request.Labels["kubernetes.io/os"] = "linux";
            request.Labels["kubernetes.io/arch"] = "amd64";
            request.Labels["bench/simulated"] = "true";
            request.NodeInfo = new NodeSystemInfo { Architecture = "amd64", OperatingSystem = "linux", KubeletVersion = "simulated" };
            request.Addresses.Add(new NodeAddress { Type = "InternalIP", Address = "127.0.0.1" });
            return Client.RegisterAsync(request, Headers, DateTime.UtcNow + s_callTimeout, cancellationToken).ResponseAsync;
        }

        public Task HeartbeatAsync(CancellationToken cancellationToken) =>
            Client.HeartbeatAsync(new HeartbeatRequest(), Headers, DateTime.UtcNow + s_callTimeout, cancellationToken).ResponseAsync;

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var failures = 0;
            var registered = true;
            while (!cancellationToken.IsCancellationRequested)
            {
                var sessionsBefore = Sessions;
                try
                {
                    if (!registered)
                    {
                        await RegisterAsync(cancellationToken);
                        registered = true;
                    }

                    await WatchAsync(cancellationToken);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                // The session ended (the control plane went away): the real agent's back-off, then register again.
                registered = false;
                failures = Sessions > sessionsBefore ? 1 : failures + 1;
                try
                {
                    await Task.Delay(Backoff.Jittered(failures, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        private async Task WatchAsync(CancellationToken cancellationToken)
        {
            using var call = Client.WatchPods(new WatchPodsRequest { ResumeRevision = Interlocked.Read(ref _revision) }, Headers, cancellationToken: cancellationToken);
            var first = true;
            await foreach (var message in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                if (first)
                {
                    first = false;
                    Interlocked.Exchange(ref _sessionStartedAt, Stopwatch.GetTimestamp());
                    Interlocked.Increment(ref _sessions);
                }

                if (message.EventCase == WatchPodsResponse.EventOneofCase.Snapshot)
                {
                    Interlocked.Exchange(ref _revision, message.Snapshot.Revision);
                    foreach (var pod in message.Snapshot.Pods)
                    {
                        fleet.Received(this, pod);
                    }
                }
                else
                {
                    Interlocked.Exchange(ref _revision, message.Changes.Revision);
                    foreach (var change in message.Changes.Changes)
                    {
                        if (change.ChangeCase == PodChange.ChangeOneofCase.Upserted)
                        {
                            fleet.Received(this, change.Upserted);
                        }
                    }
                }
            }
        }
    }
}
