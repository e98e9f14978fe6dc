using Grpc.Core;
using HostDaemons.Agent.Desired;
using HostDaemons.Agent.Events;
using HostDaemons.Agent.Joining;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.StaticPods;
using HostDaemons.Api.V1;
using HostDaemons.Hosting;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.ControlPlane;

/// <summary>
/// The agent's side of the control plane link: join first when the node has no usable certificate
/// (<see cref="NodeEnrollment"/>), register, then at once renew the lease, watch the node's pods (resuming
/// from the last revision), send status changes, mirror the static pods and serve relayed requests. Any failure ends the
/// session; the next one starts after a capped, jittered back-off, while the pods keep running from the saved
/// assignments and the manifest directory.
/// </summary>
internal sealed partial class ControlPlaneSession(
    NodeClientFactory clients,
    NodeEnrollment enrollment,
    AssignedPods assigned,
    StaticPodSet staticPods,
    StatusReporter reporter,
    PodEventRecorder events,
    LogRequestHandler logs,
    IContainerRuntime runtime,
    Reconcile.NodeAllocatable allocatable,
    TimeProvider time,
    IOptions<AgentOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ControlPlaneSession> logger) : SupervisedBackgroundService(lifetime, logger)
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan s_firstReconnectDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxReconnectDelay = TimeSpan.FromSeconds(30);

    private int _failures;

    /// <summary>True while a session is up: registered, and the watch has delivered its first message.</summary>
    public bool IsConnected { get; private set; }

    /// <summary>True once the control plane said this node was deleted: the agent stays out until restarted.</summary>
    public bool IsNodeDeleted { get; private set; }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await enrollment.EnsureCredentialsAsync(stoppingToken).ConfigureAwait(false);
                await RunSessionAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (NodeDeletedException)
            {
                // An administrator deleted this node: its daemon pods stop, and it stays out until the agent is
                // restarted (told to register again), rather than coming back behind the administrator's back.
                IsConnected = false;
                IsNodeDeleted = true;
                Log.NodeDeleted(logger, options.Value.EffectiveNodeName);
                assigned.ReplaceAll([], 0);
                await Task.Delay(Timeout.InfiniteTimeSpan, time, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is not CaPinMismatchException)
            {
                // Not for a CA that is not the token's pin: that leaves the loop, and the supervisor stops the agent.
                IsConnected = false;
                _failures++;
                Log.Disconnected(logger, options.Value.Server, Describe(ex));
            }

            await Task.Delay(ReconnectDelay(), time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunSessionAsync(CancellationToken stoppingToken)
    {
        var heartbeatInterval = await RegisterAsync(stoppingToken).ConfigureAwait(false);
        reporter.ResendAll();
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var tasks = new[]
        {
            HeartbeatAsync(heartbeatInterval, session.Token),
            WatchAsync(session.Token),
            ReportAsync(session.Token),
            ReportEventsAsync(session.Token),
            SyncStaticPodsAsync(session.Token),
            ServeRequestsAsync(session.Token),
        };
        var first = await Task.WhenAny(tasks).ConfigureAwait(false);
        await session.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (session.IsCancellationRequested)
        {
        }

        await first.ConfigureAwait(false);
        throw new IOException("the session ended");
    }

    private async Task<TimeSpan> RegisterAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var request = new RegisterRequest { NodeInfo = await NodeInfoAsync(cancellationToken).ConfigureAwait(false) };
        request.Addresses.Add(new NodeAddress { Type = "InternalIP", Address = HostAddress.Detect() });
        request.Addresses.Add(new NodeAddress { Type = "Hostname", Address = Environment.MachineName });
        request.Capacity.Add(allocatable.AsQuantities());
        if (NodeLabelList.TryParse(settings.NodeLabels, out var labels, out _))
        {
            request.Labels.Add(labels);
        }

        request.Labels["kubernetes.io/hostname"] = settings.EffectiveNodeName;
        request.Labels["kubernetes.io/os"] = "linux";
        request.Labels["kubernetes.io/arch"] = request.NodeInfo.Architecture;

        var response = await clients.Client.RegisterAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
        Log.Registered(logger, settings.EffectiveNodeName, settings.Server);
        return TimeSpan.FromSeconds(Math.Max(1, response.HeartbeatIntervalSeconds));
    }

    private async Task HeartbeatAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var response = await clients.Client.HeartbeatAsync(new HeartbeatRequest(), deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!response.Registered)
            {
                throw new NodeDeletedException();
            }

            if (response.ResendStatus)
            {
                reporter.ResendAll();
            }
        }
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        using var call = clients.Client.WatchPods(new WatchPodsRequest { ResumeRevision = assigned.Revision }, cancellationToken: cancellationToken);
        await foreach (var message in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (message.EventCase == WatchPodsResponse.EventOneofCase.Snapshot)
            {
                assigned.ReplaceAll(message.Snapshot.Pods, message.Snapshot.Revision);
                Log.Snapshot(logger, message.Snapshot.Pods.Count, message.Snapshot.Revision);
            }
            else
            {
                assigned.Apply(message.Changes);
            }

            if (!IsConnected)
            {
                IsConnected = true;
                _failures = 0;
            }
        }

        throw new IOException("the control plane ended the pod watch");
    }

    private async Task ReportAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await reporter.TakeAsync(cancellationToken).ConfigureAwait(false);
            var request = new ReportPodStatusRequest();
            request.Reports.Add(batch);
            try
            {
                await clients.Client.ReportPodStatusAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                reporter.Requeue(batch);
                throw;
            }
        }
    }

    private async Task ReportEventsAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await events.TakeAsync(cancellationToken).ConfigureAwait(false);
            var request = new ReportEventsRequest();
            request.Events.Add(batch);
            try
            {
                await clients.Client.ReportEventsAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                events.Requeue(batch);
                throw;
            }
        }
    }

    /// <summary>
    /// Sends the whole static set once the manifest directory has been read, then again on every change, so the control
    /// plane keeps one mirror pod per static pod. The statuses of static pods are sent again after each sync: a report
    /// that came before its mirror existed was dropped. A sync the control plane refuses is logged and waits for the
    /// next change; a control plane without mirror pods is left alone.
    /// </summary>
    private async Task SyncStaticPodsAsync(CancellationToken cancellationToken)
    {
        var synced = -1L;
        while (!cancellationToken.IsCancellationRequested)
        {
            var version = staticPods.Version;
            if (staticPods.IsListed && version != synced)
            {
                var pods = staticPods.Current;
                var request = new SyncStaticPodsRequest();
                request.Pods.Add(pods);
                request.ManifestErrors.Add(staticPods.Errors.Select(e => new Api.V1.ManifestError { File = e.File, Line = e.Line, Message = e.Message }));
                try
                {
                    var response = await clients.Client.SyncStaticPodsAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    foreach (var rejected in response.Rejected)
                    {
                        Log.MirrorRejected(logger, rejected);
                    }

                    Log.StaticPodsSynced(logger, pods.Count, version);
                    reporter.Resend(pods.Select(p => p.Metadata.Uid));
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
                {
                    Log.MirrorPodsUnsupported(logger);
                    await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken).ConfigureAwait(false);
                }
                catch (RpcException ex) when (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.PermissionDenied or StatusCode.NotFound)
                {
                    Log.StaticPodsRefused(logger, Describe(ex));
                }

                synced = version;
            }

            await staticPods.WaitForChangeAsync(version, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ServeRequestsAsync(CancellationToken cancellationToken)
    {
        // Each request is served on its own, and all end (cancelled, then awaited) with the session.
        await using var requests = new BackgroundTasks(logger);
        using var call = clients.Client.ReceiveRequests(new ReceiveRequestsRequest(), cancellationToken: cancellationToken);
        await foreach (var request in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            requests.Run("a relayed logs request", ct => logs.HandleAsync(request, ct), cancellationToken);
        }

        throw new IOException("the control plane ended the request stream");
    }

    private async Task<NodeSystemInfo> NodeInfoAsync(CancellationToken cancellationToken)
    {
        var info = new NodeSystemInfo
        {
            KubeletVersion = "v" + DaemonCommandLine.Version,
            OperatingSystem = "linux",
            Architecture = "amd64",
            MachineId = File.Exists("/etc/machine-id") ? (await File.ReadAllTextAsync("/etc/machine-id", cancellationToken).ConfigureAwait(false)).Trim() : "",
        };
        try
        {
            var engine = await runtime.GetInfoAsync(cancellationToken).ConfigureAwait(false);
            info.Architecture = engine.Architecture.Length > 0 ? engine.Architecture : info.Architecture;
            info.KernelVersion = engine.KernelVersion;
            info.OsImage = engine.OsImage;
            info.ContainerRuntimeVersion = $"{engine.Name}://{engine.Version}";
        }
        catch (Exception ex) when (ex is HttpRequestException or ContainerRuntimeException or IOException or TimeoutException)
        {
            Log.EngineInfoUnavailable(logger, ex.Message);
        }

        return info;
    }

    /// <summary>Full jitter from 1 s doubling to 30 s: a fleet that lost its control plane together comes back spread out.</summary>
    private TimeSpan ReconnectDelay() => Backoff.Jittered(_failures, s_firstReconnectDelay, s_maxReconnectDelay);

    private DateTime Deadline() => time.GetUtcNow().UtcDateTime + s_callTimeout;

    private sealed class NodeDeletedException : Exception;

    private static string Describe(Exception ex) => ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message;

    private static partial class Log
    {
        [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Node {Node} registered with the control plane at {Server}")]
        public static partial void Registered(ILogger logger, string node, string server);

        [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Lost the control plane at {Server} ({Reason}); pods keep running, reconnecting")]
        public static partial void Disconnected(ILogger logger, string server, string reason);

        [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "Received {Count} assigned pods at revision {Revision}")]
        public static partial void Snapshot(ILogger logger, int count, long revision);

        [LoggerMessage(EventId = 44, Level = LogLevel.Warning, Message = "Node {Node} was deleted from the control plane: its daemon pods stop; restart the agent to register the node again")]
        public static partial void NodeDeleted(ILogger logger, string node);

        [LoggerMessage(EventId = 43, Level = LogLevel.Warning, Message = "Docker did not describe itself ({Reason}); registering without engine details")]
        public static partial void EngineInfoUnavailable(ILogger logger, string reason);

        [LoggerMessage(EventId = 45, Level = LogLevel.Debug, Message = "Sent {Count} static pods (set version {Version}) to the control plane")]
        public static partial void StaticPodsSynced(ILogger logger, int count, long version);

        [LoggerMessage(EventId = 46, Level = LogLevel.Warning, Message = "The control plane did not mirror a static pod: {Reason}")]
        public static partial void MirrorRejected(ILogger logger, string reason);

        [LoggerMessage(EventId = 47, Level = LogLevel.Warning, Message = "The control plane refused this node's static pods ({Reason}); they keep running, and are sent again on their next change")]
        public static partial void StaticPodsRefused(ILogger logger, string reason);

        [LoggerMessage(EventId = 48, Level = LogLevel.Information, Message = "The control plane does not keep mirror pods; static pods run without them")]
        public static partial void MirrorPodsUnsupported(ILogger logger);
    }
}
