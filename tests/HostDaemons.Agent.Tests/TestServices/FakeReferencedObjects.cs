using System.Collections.Concurrent;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.TestServices;

/// <summary>
/// The ConfigMaps and Secrets of the "control plane", by namespace-less name: every pod sees the current ones, as if
/// each call were a fetch. <see cref="Unreachable"/> makes never-fetched pods Unknown. Changing an object gives every
/// pod a new version, as a refresh would.
/// </summary>
internal sealed class FakeReferencedObjects : IReferencedObjectSource
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ConfigMap> _configMaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Secret> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ReferencedObjects> _fetched = new(StringComparer.Ordinal);
    private long _version = 1;

    public bool Unreachable { get; set; }

    public void Set(ConfigMap configMap)
    {
        lock (_lock)
        {
            _configMaps[configMap.Metadata.Name] = configMap;
            _version++;
            Refetch();
        }
    }

    public void Set(Secret secret)
    {
        lock (_lock)
        {
            _secrets[secret.Metadata.Name] = secret;
            _version++;
            Refetch();
        }
    }

    public Task<ReferencedObjects> GetAsync(Pod pod, CancellationToken cancellationToken)
    {
        if (_fetched.TryGetValue(pod.Metadata.Uid, out var known))
        {
            return Task.FromResult(known);
        }

        if (Unreachable)
        {
            return Task.FromResult(ReferencedObjects.Unknown);
        }

        lock (_lock)
        {
            return Task.FromResult(_fetched[pod.Metadata.Uid] = Snapshot());
        }
    }

    public ReferencedObjects? Current(string podUid) => _fetched.GetValueOrDefault(podUid);

    private void Refetch()
    {
        foreach (var uid in _fetched.Keys)
        {
            _fetched[uid] = Snapshot();
        }
    }

    private ReferencedObjects Snapshot() => ReferencedObjects.From([.. _configMaps.Values.Select(c => c.Clone())], [.. _secrets.Values.Select(s => s.Clone())], _version);
}
