using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Events;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.ControlPlane.Nodes;

/// <summary>
/// The mirror pods of the static pods agents run, as the kubelet's mirror client keeps them: one API pod per static pod,
/// with its name, namespace and uid, the annotation <c>kubernetes.io/config.mirror</c> and the Node as controlling
/// owner. An agent sends its whole set; content changed (a new uid) replaces the mirror, a mirror no longer in the set is
/// deleted. The last set of each node is kept, so a mirror deleted through the API comes straight back. The files the
/// agent could not use become a node condition and a Warning event per new error.
/// </summary>
internal sealed partial class MirrorPods(IObjectStore store, EventRecorder events, PodSecurityAdmission podSecurity, TimeProvider time, ILogger<MirrorPods> logger)
{
    private const int Attempts = 5;

    private readonly ConcurrentDictionary<string, NodeMirrors> _nodes = new(StringComparer.Ordinal);

    /// <summary>
    /// Makes the node's mirror pods those of <paramref name="pods"/>, its whole static set, and reports
    /// <paramref name="errors"/>. Returns why the pods that could not be mirrored were not (invalid, or referencing
    /// API objects: <see cref="NodeRestriction.MirrorPodProblem"/>). A pod bound to another node refuses the whole
    /// call: a node may only mirror its own static pods.
    /// </summary>
    public async Task<IReadOnlyList<string>> SyncAsync(string nodeName, IReadOnlyList<Pod> pods, IReadOnlyList<ManifestError> errors, CancellationToken cancellationToken)
    {
        if (pods.FirstOrDefault(p => p.Spec?.NodeName != nodeName) is { } forged)
        {
            Log.ForgedMirror(logger, nodeName, forged.Metadata?.Name ?? "", forged.Spec?.NodeName ?? "");
            throw ApiErrors.Forbidden(ResourceKind.Pod, forged.Metadata?.Name ?? "",
                $"node \"{nodeName}\" can only mirror its own static pods, not one bound to node \"{forged.Spec?.NodeName}\"");
        }

        var node = store.Get<Node>("", nodeName) ?? throw ApiErrors.NotFound(ResourceKind.Node, nodeName);
        var state = _nodes.GetOrAdd(nodeName, _ => new NodeMirrors());
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var rejected = new List<string>();
            var accepted = new Dictionary<(string Namespace, string Name), (Pod Static, Pod Mirror)>();
            foreach (var pod in pods)
            {
                var mirror = Mirror(pod, node);
                var key = (mirror.Metadata.Namespace, mirror.Metadata.Name);
                if ((NodeRestriction.MirrorPodProblem(nodeName, mirror) ?? Invalid(mirror)) is { } invalid)
                {
                    rejected.Add($"pod {key.Namespace}/{key.Name} is not mirrored: {invalid}");
                }
                else if (!accepted.TryAdd(key, (pod, mirror)))
                {
                    rejected.Add($"pod {key.Namespace}/{key.Name} is not mirrored: the set holds two pods of that name");
                }
            }

            state.Pods = [.. accepted.Values.Select(a => a.Static)];
            foreach (var (_, mirror) in accepted.Values)
            {
                if (await EnsureAsync(node, mirror, status: null, cancellationToken).ConfigureAwait(false) is { } reason)
                {
                    rejected.Add(reason);
                }
            }

            var uids = accepted.Values.Select(a => a.Static.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
            foreach (var stale in store.PodsOnNode(nodeName).Where(p => IsMirrorOf(p, nodeName) && !uids.Contains(p.Metadata.Uid)))
            {
                await store.DeleteAsync<Pod>(stale.Metadata.Namespace, stale.Metadata.Name, stale.Metadata.Uid, cancellationToken).ConfigureAwait(false);
                Log.MirrorDeleted(logger, stale.Metadata.Namespace, stale.Metadata.Name, nodeName);
            }

            await ReportErrorsAsync(node, state, errors, cancellationToken).ConfigureAwait(false);
            foreach (var reason in rejected)
            {
                Log.MirrorRejected(logger, nodeName, reason);
            }

            return rejected;
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>
    /// Deletes a mirror pod at once (its static pod is the agent's, nothing stops) and creates it again from the node's
    /// last set, keeping its status. Returns the warning for the user, or null when the mirror does not come back (its
    /// node is gone, or its static pod is no longer in the set).
    /// </summary>
    public async Task<string?> DeleteAsync(Pod mirror, CancellationToken cancellationToken)
    {
        var meta = mirror.Metadata;
        var nodeName = mirror.Spec?.NodeName ?? "";
        var state = _nodes.GetOrAdd(nodeName, _ => new NodeMirrors());
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var deleted = await store.DeleteAsync<Pod>(meta.Namespace, meta.Name, meta.Uid, cancellationToken).ConfigureAwait(false);
            var node = store.Get<Node>("", nodeName);
            // Before this control plane has heard from the agent (it restarted), the mirror itself is the agent's last word.
            var source = state.Pods is { } last ? last.FirstOrDefault(p => p.Metadata.Uid == meta.Uid) : StaticPod(mirror);
            if (deleted is null || node is null || source is null || !IsMirrorOf(mirror, nodeName))
            {
                return null;
            }

            if (await EnsureAsync(node, Mirror(source, node), deleted.Status, cancellationToken).ConfigureAwait(false) is { } reason)
            {
                Log.MirrorRejected(logger, nodeName, reason);
                return null;
            }

            Log.MirrorRecreated(logger, meta.Namespace, meta.Name, nodeName);
            return $"pod {meta.Namespace}/{meta.Name} is the mirror of a static pod on node {nodeName}: it is recreated, "
                + "and the pod keeps running until its manifest file is removed from that host";
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>The node is gone, and its mirror pods with it: its last set is forgotten.</summary>
    public void Forget(string nodeName) => _nodes.TryRemove(nodeName, out _);

    /// <summary>
    /// Creates the mirror, updates it in place when its static pod is the same (same uid: its status stays), or replaces
    /// it when the content changed. Returns why it could not, or null.
    /// </summary>
    private async Task<string?> EnsureAsync(Node node, Pod mirror, PodStatus? status, CancellationToken cancellationToken)
    {
        var (ns, name, uid) = (mirror.Metadata.Namespace, mirror.Metadata.Name, mirror.Metadata.Uid);
        var nodeName = node.Metadata.Name;
        var existingNamespace = store.Get<Model.V1.Namespace>("", ns);
        if (existingNamespace is null)
        {
            await Namespaces.EnsureAsync(store, ns, cancellationToken).ConfigureAwait(false);
        }
        else if (existingNamespace.IsTerminating())
        {
            return $"pod {ns}/{name} is not mirrored: unable to create new content in namespace {ns} because it is being terminated";
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var existing = store.Get<Pod>(ns, name);
                if (existing is null)
                {
                    mirror.Status = status ?? mirror.Status ?? new PodStatus { Phase = "Pending" };
                    var created = await store.CreateAsync(mirror, cancellationToken).ConfigureAwait(false);
                    Log.MirrorCreated(logger, ns, name, nodeName);
                    await ReportPodSecurityAsync(created, cancellationToken).ConfigureAwait(false);
                    return null;
                }

                if (!IsMirrorOf(existing, nodeName))
                {
                    return $"pod {ns}/{name} is not mirrored: a pod of that name exists and is not a mirror of node {nodeName}";
                }

                if (existing.Metadata.Uid != uid)
                {
                    await store.DeleteAsync<Pod>(ns, name, existing.Metadata.Uid, cancellationToken).ConfigureAwait(false);
                    Log.MirrorReplaced(logger, ns, name, nodeName);
                    continue;
                }

                await store.MutateAsync<Pod>(ns, name, p =>
                {
                    if (p.Metadata.Uid != uid)
                    {
                        return false;
                    }

                    var before = p.Clone();
                    p.Metadata.Labels.Clear();
                    p.Metadata.Labels.Add(mirror.Metadata.Labels);
                    p.Metadata.Annotations.Clear();
                    p.Metadata.Annotations.Add(mirror.Metadata.Annotations);
                    p.Metadata.OwnerReferences.Clear();
                    p.Metadata.OwnerReferences.Add(mirror.Metadata.OwnerReferences);
                    p.Spec = mirror.Spec;
                    return !p.Equals(before);
                }, cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (Exception ex) when (ex is ObjectAlreadyExistsException or ObjectConflictException && attempt < Attempts)
            {
            }
        }
    }

    /// <summary>
    /// A static pod is never refused: the host's administrator wrote it. What its namespace's Pod Security enforce or
    /// warn level says of it becomes a Warning event on the mirror.
    /// </summary>
    private async Task ReportPodSecurityAsync(Pod mirror, CancellationToken cancellationToken)
    {
        if (podSecurity.MirrorViolation(mirror) is { } violation)
        {
            var meta = mirror.Metadata;
            await events.RecordAsync(
                new EventObjectReference { Kind = "Pod", ApiVersion = "v1", Namespace = meta.Namespace, Name = meta.Name, Uid = meta.Uid },
                new EventSource { Component = "pod-security-admission" },
                "Warning", PodSecurityAdmission.ViolationEventReason, violation, 1, null, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Each error text is recorded once as a Warning event on the node; the condition always says the latest.</summary>
    private async Task ReportErrorsAsync(Node node, NodeMirrors state, IReadOnlyList<ManifestError> errors, CancellationToken cancellationToken)
    {
        var texts = errors.Select(ManifestsCondition.Describe).ToList();
        var now = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        await store.MutateAsync<Node>("", node.Metadata.Name, n => ManifestsCondition.Set(n, texts, now), cancellationToken).ConfigureAwait(false);
        foreach (var text in texts.Where(t => !state.ReportedErrors.Contains(t)))
        {
            Log.InvalidManifest(logger, node.Metadata.Name, text);
            await events.RecordAsync(
                new EventObjectReference { Kind = "Node", ApiVersion = "v1", Namespace = ObjectDefaults.DefaultNamespace, Name = node.Metadata.Name, Uid = node.Metadata.Uid },
                new EventSource { Component = "hostdaemons-agent", Host = node.Metadata.Name },
                "Warning", "FailedValidation", text, 1, null, null, cancellationToken).ConfigureAwait(false);
        }

        state.ReportedErrors = texts.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The mirror of a static pod: the same pod, marked as a mirror and owned by its node; no server fields, no status.</summary>
    private static Pod Mirror(Pod staticPod, Node node)
    {
        var mirror = staticPod.Clone();
        mirror.Metadata ??= new ObjectMeta();
        mirror.Status = null;
        ObjectValidator.ApplyDefaults(mirror);
        var meta = mirror.Metadata;
        meta.ResourceVersion = "";
        meta.Generation = 0;
        meta.CreationTimestamp = null;
        meta.DeletionTimestamp = null;
        meta.ClearDeletionGracePeriodSeconds();
        meta.Annotations[MirrorPodAnnotations.Mirror] = meta.Annotations.TryGetValue(MirrorPodAnnotations.Hash, out var hash) && hash.Length > 0 ? hash : meta.Uid;
        meta.OwnerReferences.Clear();
        meta.OwnerReferences.Add(new OwnerReference { ApiVersion = "v1", Kind = "Node", Name = node.Metadata.Name, Uid = node.Metadata.Uid, Controller = true });
        return mirror;
    }

    /// <summary>The static pod a stored mirror was made from, for a mirror deleted before its node's set is known.</summary>
    private static Pod StaticPod(Pod mirror)
    {
        var pod = mirror.Clone();
        pod.Metadata.Annotations.Remove(MirrorPodAnnotations.Mirror);
        return pod;
    }

    private static string? Invalid(Pod mirror)
    {
        var errors = ObjectValidator.Validate(mirror);
        if (mirror.Metadata.Uid.Length == 0)
        {
            errors.Required("metadata.uid");
        }

        return errors.Count == 0 ? null : ValidationErrors.Summarize(ResourceKinds.Pod.KindName, mirror.Metadata.Name, errors);
    }

    private static bool IsMirrorOf(Pod pod, string nodeName) =>
        pod.IsMirror() && pod.Spec?.NodeName == nodeName && pod.Metadata.ControllerRef() is { Kind: "Node" } owner && owner.Name == nodeName;

    private sealed class NodeMirrors
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>The static pods of the node's last sync that were accepted; null until the agent has synced.</summary>
        public IReadOnlyList<Pod>? Pods { get; set; }

        public HashSet<string> ReportedErrors { get; set; } = new(StringComparer.Ordinal);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Created mirror pod {Namespace}/{Pod} of node {Node}")]
        public static partial void MirrorCreated(ILogger logger, string @namespace, string pod, string node);

        [LoggerMessage(EventId = 61, Level = LogLevel.Information, Message = "Replacing mirror pod {Namespace}/{Pod} of node {Node}: its static pod changed")]
        public static partial void MirrorReplaced(ILogger logger, string @namespace, string pod, string node);

        [LoggerMessage(EventId = 62, Level = LogLevel.Information, Message = "Deleted mirror pod {Namespace}/{Pod}: node {Node} no longer runs its static pod")]
        public static partial void MirrorDeleted(ILogger logger, string @namespace, string pod, string node);

        [LoggerMessage(EventId = 63, Level = LogLevel.Information, Message = "Recreated mirror pod {Namespace}/{Pod} of node {Node} after it was deleted")]
        public static partial void MirrorRecreated(ILogger logger, string @namespace, string pod, string node);

        [LoggerMessage(EventId = 64, Level = LogLevel.Warning, Message = "Node {Node}: {Reason}")]
        public static partial void MirrorRejected(ILogger logger, string node, string reason);

        [LoggerMessage(EventId = 65, Level = LogLevel.Warning, Message = "Node {Node} tried to mirror pod {Pod} of node {OtherNode}: refused")]
        public static partial void ForgedMirror(ILogger logger, string node, string pod, string otherNode);

        [LoggerMessage(EventId = 66, Level = LogLevel.Warning, Message = "Node {Node} could not use a static pod manifest: {Error}")]
        public static partial void InvalidManifest(ILogger logger, string node, string error);
    }
}
