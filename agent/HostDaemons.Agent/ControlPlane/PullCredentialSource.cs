using System.Collections.Concurrent;
using Grpc.Core;
using HostDaemons.Agent.Desired;
using HostDaemons.Api.V1;
using HostDaemons.Model.V1;
using RegistryCredential = HostDaemons.Agent.Runtime.RegistryCredential;

namespace HostDaemons.Agent.ControlPlane;

/// <summary>The registry credentials a pod's image pulls may use.</summary>
internal interface IPullCredentialSource
{
    /// <summary>The credentials from the pod's <c>imagePullSecrets</c>; none when it names none or none can be had.</summary>
    Task<IReadOnlyList<RegistryCredential>> GetAsync(Pod pod, CancellationToken cancellationToken);
}

/// <summary>
/// Asks the control plane for a pod's pull credentials at each pull (pulls are rare, and a corrected secret then takes
/// effect at the next retry) and keeps the last answer per pod uid: with the control plane unreachable, a pull uses
/// the credentials that pod last had, or goes anonymously. A pod naming no <c>imagePullSecrets</c> costs no call.
/// Credentials stay in memory only (never in the state directory) and are never logged.
/// </summary>
internal sealed partial class PullCredentialSource : IPullCredentialSource
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(10);

    private readonly NodeService.NodeServiceClient _client;
    private readonly AssignedPods? _assigned;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, IReadOnlyList<RegistryCredential>> _lastKnown = new(StringComparer.Ordinal);

    public PullCredentialSource(NodeClientFactory clients, AssignedPods assigned, TimeProvider time, ILogger<PullCredentialSource> logger)
        : this(clients.Client, assigned, time, logger)
    {
    }

    internal PullCredentialSource(NodeService.NodeServiceClient client, AssignedPods? assigned, TimeProvider time, ILogger logger)
    {
        _client = client;
        _assigned = assigned;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many pods' credentials are remembered.</summary>
    internal int Remembered => _lastKnown.Count;

    public async Task<IReadOnlyList<RegistryCredential>> GetAsync(Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var uid = pod.Metadata.Uid;
        if (pod.Spec.ImagePullSecrets.Count == 0)
        {
            _lastKnown.TryRemove(uid, out _);
            return [];
        }

        var key = new PodKey { Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = uid };
        try
        {
            var response = await _client.GetPullCredentialsAsync(new GetPullCredentialsRequest { Pod = key },
                deadline: _time.GetUtcNow().UtcDateTime + s_callTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            IReadOnlyList<RegistryCredential> credentials =
                [.. response.Credentials.Select(c => new RegistryCredential(c.Server, c.Username, c.Password, c.SecretName))];
            Forget();
            _lastKnown[uid] = credentials;
            Log.Fetched(_logger, pod.Metadata.Namespace, pod.Metadata.Name, credentials.Count);
            return credentials;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            // The control plane no longer binds this pod here: it is about to go, and has nothing to pull with.
            _lastKnown.TryRemove(uid, out _);
            Log.PodUnknown(_logger, pod.Metadata.Namespace, pod.Metadata.Name);
            return [];
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var known = _lastKnown.TryGetValue(uid, out var last) ? last : [];
            Log.Unavailable(_logger, pod.Metadata.Namespace, pod.Metadata.Name, ex.StatusCode, known.Count);
            return known;
        }
    }

    /// <summary>Drops what is remembered for pods no longer assigned to this node.</summary>
    private void Forget()
    {
        if (_assigned is null || !_assigned.IsKnown)
        {
            return;
        }

        var current = _assigned.Current.Select(p => p.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var uid in _lastKnown.Keys.Where(k => !current.Contains(k)))
        {
            _lastKnown.TryRemove(uid, out _);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 410, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod}: {Count} registry credentials from its image pull secrets")]
        public static partial void Fetched(ILogger logger, string @namespace, string pod, int count);

        [LoggerMessage(EventId = 411, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Pod} is no longer bound to this node: pulling without credentials")]
        public static partial void PodUnknown(ILogger logger, string @namespace, string pod);

        [LoggerMessage(EventId = 412, Level = LogLevel.Warning,
            Message = "Pod {Namespace}/{Pod}: the control plane could not give its image pull credentials ({Status}); using the {Count} last known")]
        public static partial void Unavailable(ILogger logger, string @namespace, string pod, StatusCode status, int count);
    }
}
