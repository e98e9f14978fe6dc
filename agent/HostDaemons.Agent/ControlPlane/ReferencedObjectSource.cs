using System.Collections.Concurrent;
using Grpc.Core;
using HostDaemons.Agent.Desired;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.ServiceAccounts;
using HostDaemons.Api.V1;
using HostDaemons.Hosting;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.ControlPlane;

/// <summary>The ConfigMaps and Secrets this node's pods use, and their service accounts.</summary>
internal interface IReferencedObjectSource
{
    /// <summary>
    /// The pod's objects as last fetched; a pod never fetched yet is fetched now. A pod referencing none, or not
    /// assigned by the control plane (a static pod, which may not use API objects, as in Kubernetes), gets
    /// <see cref="ReferencedObjects.None"/>; a pod the control plane never answered for, <see cref="ReferencedObjects.Unknown"/>.
    /// </summary>
    Task<ReferencedObjects> GetAsync(Pod pod, CancellationToken cancellationToken);

    /// <summary>What is remembered for the pod, without a call; null when nothing is.</summary>
    ReferencedObjects? Current(string podUid);
}

/// <summary>
/// Asks the control plane (<c>GetPodResources</c>) for the objects of the assigned pods that reference any (or whose
/// service account decides on their token), in one
/// call per <c>--pod-resource-refresh-period</c>, and at once for a pod about to get its first container. The last
/// answer is kept per pod uid, in memory only (secrets never reach the state directory): with the control plane away,
/// containers are created from what their pod last had. A change wakes the reconciler, which updates mounted files
/// and retries containers that were waiting for an object.
/// </summary>
internal sealed partial class ReferencedObjectSource : SupervisedBackgroundService, IReferencedObjectSource
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(10);

    private readonly NodeService.NodeServiceClient _client;
    private readonly AssignedPods _assigned;
    private readonly ReconcileSignal _signal;
    private readonly TimeProvider _time;
    private readonly TimeSpan _period;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ReferencedObjects> _known = new(StringComparer.Ordinal);
    private bool _failing;

    public ReferencedObjectSource(NodeClientFactory clients, AssignedPods assigned, ReconcileSignal signal, TimeProvider time, IOptions<AgentOptions> options,
        IHostApplicationLifetime lifetime, ILogger<ReferencedObjectSource> logger)
        : this(clients.Client, assigned, signal, time, options.Value.PodResourceRefreshPeriod, lifetime, logger)
    {
    }

    internal ReferencedObjectSource(NodeService.NodeServiceClient client, AssignedPods assigned, ReconcileSignal signal, TimeProvider time, TimeSpan period,
        IHostApplicationLifetime lifetime, ILogger logger)
        : base(lifetime, logger)
    {
        _client = client;
        _assigned = assigned;
        _signal = signal;
        _time = time;
        _period = period;
        _logger = logger;
    }

    /// <summary>How many pods' objects are remembered.</summary>
    internal int Remembered => _known.Count;

    public ReferencedObjects? Current(string podUid) => _known.GetValueOrDefault(podUid);

    /// <summary>
    /// True when the pod's objects are asked for: it uses a ConfigMap or Secret, or its service account decides whether
    /// it gets a token (<see cref="ServiceAccountMount.NeedsAccount"/>).
    /// </summary>
    public static bool Fetches(Pod pod) => PodReferences.Any(pod.Spec) || ServiceAccountMount.NeedsAccount(pod.Spec);

    public async Task<ReferencedObjects> GetAsync(Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (!Fetches(pod))
        {
            return ReferencedObjects.None;
        }

        if (_known.TryGetValue(pod.Metadata.Uid, out var known))
        {
            return known;
        }

        if (!_assigned.Current.Any(p => p.Metadata.Uid == pod.Metadata.Uid && !p.IsMirror()))
        {
            return ReferencedObjects.None;
        }

        try
        {
            await FetchAsync([pod], cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.FirstFetchFailed(_logger, pod.Metadata.Namespace, pod.Metadata.Name, ex.StatusCode);
        }

        return _known.GetValueOrDefault(pod.Metadata.Uid) ?? ReferencedObjects.Unknown;
    }

    /// <summary>One refresh: every assigned pod that references objects, in one call.</summary>
    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var pods = _assigned.Current.Where(p => !p.IsMirror() && !p.IsTerminating() && Fetches(p)).ToList();
        if (_assigned.IsKnown)
        {
            var current = pods.Select(p => p.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
            foreach (var uid in _known.Keys.Where(u => !current.Contains(u)))
            {
                _known.TryRemove(uid, out _);
            }
        }

        if (pods.Count == 0)
        {
            return;
        }

        try
        {
            await FetchAsync(pods, cancellationToken).ConfigureAwait(false);
            _failing = false;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The control plane is away: pods keep what they last had. Said once per outage; the session logs the rest.
            if (!_failing)
            {
                Log.RefreshFailed(_logger, pods.Count, ex.StatusCode);
            }

            _failing = true;
        }
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await RefreshAsync(stoppingToken).ConfigureAwait(false);
            await Task.Delay(_period, _time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task FetchAsync(IReadOnlyList<Pod> pods, CancellationToken cancellationToken)
    {
        var request = new GetPodResourcesRequest();
        request.Pods.AddRange(pods.Select(p => new PodKey { Namespace = p.Metadata.Namespace, Name = p.Metadata.Name, Uid = p.Metadata.Uid }));
        var response = await _client.GetPodResourcesAsync(request, deadline: _time.GetUtcNow().UtcDateTime + s_callTimeout, cancellationToken: cancellationToken)
            .ConfigureAwait(false);

        var changed = false;
        foreach (var answer in response.Pods)
        {
            var uid = answer.Pod.Uid;
            if (answer.NotFound)
            {
                // The control plane no longer binds this pod here: it is about to go.
                _known.TryRemove(uid, out _);
                continue;
            }

            var before = _known.GetValueOrDefault(uid);
            var fetched = ReferencedObjects.From(answer.ConfigMaps, answer.Secrets, (before?.Version ?? 0) + 1, answer.ServiceAccount);
            if (before is null || !before.SameContent(fetched))
            {
                _known[uid] = fetched;
                changed = true;
                Log.Fetched(_logger, answer.Pod.Namespace, answer.Pod.Name, fetched.ConfigMaps.Count, fetched.Secrets.Count);
            }
        }

        if (changed)
        {
            _signal.Trigger();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 430, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod}: {ConfigMaps} ConfigMaps and {Secrets} Secrets from the control plane")]
        public static partial void Fetched(ILogger logger, string @namespace, string pod, int configMaps, int secrets);

        [LoggerMessage(EventId = 431, Level = LogLevel.Warning,
            Message = "Pod {Namespace}/{Pod}: the control plane could not give the ConfigMaps and Secrets it uses ({Status}); its containers wait for them")]
        public static partial void FirstFetchFailed(ILogger logger, string @namespace, string pod, StatusCode status);

        [LoggerMessage(EventId = 432, Level = LogLevel.Information,
            Message = "The ConfigMaps and Secrets of {Count} pods could not be refreshed ({Status}); they keep what they last had")]
        public static partial void RefreshFailed(ILogger logger, int count, StatusCode status);
    }
}
