using System.Collections.Concurrent;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Storage;

/// <summary>The in-memory copy of every committed object, with the pod indexes the controller and node API need.
/// Written by the store's single writer only; read from anywhere. Objects handed out are shared: with
/// <c>detectMutations</c>, a <see cref="CacheMutationDetector"/> checks that nobody changes them.</summary>
internal sealed class ObjectCache(bool detectMutations = false)
{
    private readonly CacheMutationDetector? _detector = detectMutations ? new CacheMutationDetector() : null;
    private readonly ConcurrentDictionary<ResourceKind, ConcurrentDictionary<(string Namespace, string Name), IKubeObject>> _objects = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string Namespace, string Name), Pod>> _podsByNode = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string Namespace, string Name), Pod>> _podsByOwner = new(StringComparer.Ordinal);

    public IKubeObject? Get(ObjectKey key) =>
        _objects.TryGetValue(key.Kind, out var map) && map.TryGetValue((key.Namespace, key.Name), out var value) ? value : null;

    public IEnumerable<IKubeObject> All(ResourceKind kind) =>
        _objects.TryGetValue(kind, out var map) ? map.Values : [];

    public IReadOnlyList<Pod> PodsOnNode(string nodeName) =>
        _podsByNode.TryGetValue(nodeName, out var pods) ? [.. pods.Values] : [];

    public IReadOnlyList<Pod> PodsControlledBy(string ownerUid) =>
        _podsByOwner.TryGetValue(ownerUid, out var pods) ? [.. pods.Values] : [];

    public void VerifyUnchanged() => _detector?.VerifyUnchanged();

    public void Set(IKubeObject value, IKubeObject? previous)
    {
        var key = ObjectKey.Of(value);
        _detector?.Leaving(key);
        _detector?.Added(key, value);
        _objects.GetOrAdd(key.Kind, _ => new())[(key.Namespace, key.Name)] = value;
        if (previous is Pod oldPod)
        {
            Unindex(oldPod);
        }

        if (value is Pod pod)
        {
            Index(pod);
        }
    }

    public void Remove(IKubeObject previous)
    {
        var key = ObjectKey.Of(previous);
        _detector?.Leaving(key);
        if (_objects.TryGetValue(key.Kind, out var map))
        {
            map.TryRemove((key.Namespace, key.Name), out _);
        }

        if (previous is Pod pod)
        {
            Unindex(pod);
        }
    }

    private void Index(Pod pod)
    {
        var key = (pod.Metadata.Namespace, pod.Metadata.Name);
        if (pod.Spec?.NodeName is { Length: > 0 } node)
        {
            _podsByNode.GetOrAdd(node, _ => new())[key] = pod;
        }

        if (pod.Metadata.ControllerRef() is { } owner)
        {
            _podsByOwner.GetOrAdd(owner.Uid, _ => new())[key] = pod;
        }
    }

    private void Unindex(Pod pod)
    {
        var key = (pod.Metadata.Namespace, pod.Metadata.Name);
        if (pod.Spec?.NodeName is { Length: > 0 } node && _podsByNode.TryGetValue(node, out var onNode))
        {
            onNode.TryRemove(key, out _);
        }

        if (pod.Metadata.ControllerRef() is { } owner && _podsByOwner.TryGetValue(owner.Uid, out var owned))
        {
            owned.TryRemove(key, out _);
        }
    }
}
