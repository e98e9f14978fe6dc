using Grpc.Core;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Volumes;
using HostDaemons.Api.V1;
using HostDaemons.Hosting;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.ServiceAccounts;

/// <summary>
/// The kubelet's token manager: service account tokens for this node's pods, asked of the control plane
/// (<c>RequestPodToken</c>, bound to the pod) and kept in memory only, per pod and <see cref="PodTokenKey"/>. A token
/// is asked again once <see cref="TokenRefresh"/> says so; the new one bumps the pod's <see cref="Version"/> and wakes
/// the reconciler, which writes the files again. When asking fails, the old token is used until it expires and asking
/// is tried again a minute later. Tokens of pods that are gone or terminating are forgotten (<see cref="Retain"/>):
/// nothing is asked for them any more.
/// </summary>
internal sealed partial class PodTokens : SupervisedBackgroundService
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_retry = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_idle = TimeSpan.FromHours(1);

    private readonly NodeService.NodeServiceClient _client;
    private readonly ReconcileSignal _reconcile;
    private readonly ReconcileSignal _wake;
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan> _jitter;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Uid, PodTokenKey Key), Entry> _entries = [];
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);

    public PodTokens(NodeClientFactory clients, ReconcileSignal reconcile, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<PodTokens> logger)
        : this(clients.Client, reconcile, time, TokenRefresh.Jitter, lifetime, logger)
    {
    }

    internal PodTokens(NodeService.NodeServiceClient client, ReconcileSignal reconcile, TimeProvider time, Func<TimeSpan> jitter, IHostApplicationLifetime lifetime,
        ILogger logger)
        : base(lifetime, logger)
    {
        _client = client;
        _reconcile = reconcile;
        _wake = new ReconcileSignal(time);
        _time = time;
        _jitter = jitter;
        _logger = logger;
    }

    /// <summary>How many tokens are kept.</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Grows each time one of the pod's tokens changes.</summary>
    public long Version(string podUid)
    {
        lock (_lock)
        {
            return _versions.GetValueOrDefault(podUid);
        }
    }

    /// <summary>
    /// The kubelet's GetServiceAccountToken: the kept token unless it is due for a refresh, else a new one; when asking
    /// fails, the kept one while it is valid.
    /// </summary>
    /// <exception cref="VolumeSetUpException"><c>failed to fetch token: ...</c>, or the kept token expired and no new one came.</exception>
    public async Task<string> GetAsync(Pod pod, PodTokenKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var entry = Track(pod, key);
        var now = _time.GetUtcNow();
        if (entry.Token is { } kept && now < kept.RefreshAt)
        {
            return kept.Value;
        }

        try
        {
            return await RefreshAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Postpone(entry, now);
            return entry.Token switch
            {
                null => throw new VolumeSetUpException($"failed to fetch token: {ex.Status.Detail}", ex),
                { } expired when now >= expired.Expires => throw new VolumeSetUpException($"token expired and refresh failed: {ex.Status.Detail}", ex),
                { } still => still.Value,
            };
        }
    }

    /// <summary>
    /// The kept token while it is valid, without a call, for writing files again; a token not kept (after an agent
    /// restart) is asked for in the background, and its arrival bumps <see cref="Version"/>.
    /// </summary>
    /// <exception cref="VolumeSetUpException">No valid token is kept.</exception>
    public string Current(Pod pod, PodTokenKey key)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var entry = Track(pod, key);
        if (entry.Token is { } kept && _time.GetUtcNow() < kept.Expires)
        {
            return kept.Value;
        }

        _wake.Trigger();
        throw new VolumeSetUpException("failed to fetch token: not fetched yet");
    }

    /// <summary>Forgets the tokens of every pod not in <paramref name="podUids"/>: gone, or terminating.</summary>
    public void Retain(IReadOnlySet<string> podUids)
    {
        lock (_lock)
        {
            foreach (var key in _entries.Keys.Where(k => !podUids.Contains(k.Uid)).ToList())
            {
                _entries.Remove(key);
            }

            foreach (var uid in _versions.Keys.Where(u => !podUids.Contains(u)).ToList())
            {
                _versions.Remove(uid);
            }
        }
    }

    /// <summary>Asks again for every token that is due (or not fetched yet) and may be tried now; wakes the reconciler on a change.</summary>
    internal async Task RefreshDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        List<Entry> due;
        lock (_lock)
        {
            due = [.. _entries.Values.Where(e => now >= e.DueAt)];
        }

        var changed = false;
        foreach (var entry in due)
        {
            try
            {
                await RefreshAsync(entry, cancellationToken).ConfigureAwait(false);
                changed = true;
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                Postpone(entry, now);
                Log.RefreshFailed(_logger, entry.Pod.Metadata.Namespace, entry.Pod.Metadata.Name, ex.Status.StatusCode, ex.Status.Detail);
            }
        }

        if (changed)
        {
            _reconcile.Trigger();
        }
    }

    /// <summary>When the next token is due; null when none is kept.</summary>
    internal DateTimeOffset? NextDue()
    {
        lock (_lock)
        {
            return _entries.Count == 0 ? null : _entries.Values.Min(e => e.DueAt);
        }
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await RefreshDueAsync(stoppingToken).ConfigureAwait(false);
            var wait = NextDue() is { } next ? next - _time.GetUtcNow() : s_idle;
            await _wake.WaitAsync(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > s_idle ? s_idle : wait, stoppingToken).ConfigureAwait(false);
        }
    }

    private Entry Track(Pod pod, PodTokenKey key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue((pod.Metadata.Uid, key), out var entry))
            {
                _entries[(pod.Metadata.Uid, key)] = entry = new Entry(pod, key);
            }

            entry.Pod = pod;
            return entry;
        }
    }

    private void Postpone(Entry entry, DateTimeOffset now)
    {
        lock (_lock)
        {
            entry.NextAttempt = now + s_retry;
        }
    }

    private async Task<string> RefreshAsync(Entry entry, CancellationToken cancellationToken)
    {
        var meta = entry.Pod.Metadata;
        var request = new RequestPodTokenRequest { Pod = new PodKey { Namespace = meta.Namespace, Name = meta.Name, Uid = meta.Uid }, ExpirationSeconds = entry.Key.ExpirationSeconds };
        if (entry.Key.Audience.Length > 0)
        {
            request.Audiences.Add(entry.Key.Audience);
        }

        var response = await _client.RequestPodTokenAsync(request, deadline: _time.GetUtcNow().UtcDateTime + s_callTimeout, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        var expires = response.ExpirationTimestamp.ToDateTimeOffset();
        var token = new IssuedToken(response.Token, expires, TokenRefresh.At(expires, entry.Key.ExpirationSeconds, _jitter()));
        lock (_lock)
        {
            entry.Token = token;
            entry.NextAttempt = DateTimeOffset.MinValue;
            if (_entries.ContainsKey((meta.Uid, entry.Key)))
            {
                _versions[meta.Uid] = _versions.GetValueOrDefault(meta.Uid) + 1;
            }
        }

        Log.Issued(_logger, meta.Namespace, meta.Name, token.RefreshAt);
        return token.Value;
    }

    private sealed record IssuedToken(string Value, DateTimeOffset Expires, DateTimeOffset RefreshAt);

    private sealed class Entry(Pod pod, PodTokenKey key)
    {
        public Pod Pod { get; set; } = pod;

        public PodTokenKey Key { get; } = key;

        public IssuedToken? Token { get; set; }

        /// <summary>After a failed call, the next attempt waits until then.</summary>
        public DateTimeOffset NextAttempt { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset DueAt => Token is { } token && token.RefreshAt > NextAttempt ? token.RefreshAt : NextAttempt;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 440, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod}: new service account token, refreshed from {RefreshAt:O}")]
        public static partial void Issued(ILogger logger, string @namespace, string pod, DateTimeOffset refreshAt);

        [LoggerMessage(EventId = 441, Level = LogLevel.Warning,
            Message = "Pod {Namespace}/{Pod}: its service account token could not be refreshed ({Status}: {Detail}); it keeps the one it has until it expires")]
        public static partial void RefreshFailed(ILogger logger, string @namespace, string pod, StatusCode status, string detail);
    }
}
