using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// The DaemonSet controller's decisions as a pure function of the DaemonSet, the nodes and the DaemonSet's pods
/// (Kubernetes' podsShouldBeOnNode and its rolling update, delete-first or create-first), so that every case is a
/// unit test.
/// </summary>
internal static class DaemonSetPlanner
{
    /// <summary>The plan over <paramref name="nodes"/> alone: no other pods, so pod affinity sees none.</summary>
    public static DaemonSetPlan Plan(DaemonSet ds, IReadOnlyCollection<Node> nodes, IReadOnlyCollection<Pod> pods, string currentHash, DateTimeOffset now) =>
        Plan(ds, PlacementContext.WithoutPods(nodes, now), pods, currentHash);

    /// <summary>The plan for <paramref name="ds"/>, whose pods are <paramref name="pods"/>, over the nodes and other pods of <paramref name="context"/>.</summary>
    public static DaemonSetPlan Plan(DaemonSet ds, PlacementContext context, IReadOnlyCollection<Pod> pods, string currentHash)
    {
        var nodes = context.Nodes;
        var now = context.Now;
        var create = new List<string>();
        var delete = new List<PodDeletion>();
        var podsByNode = pods.GroupBy(p => p.Spec?.NodeName ?? "").ToDictionary(g => g.Key, g => g.ToList());
        var nodeNames = new HashSet<string>(nodes.Select(n => n.Metadata.Name), StringComparer.Ordinal);

        if (ds.IsTerminating())
        {
            delete.AddRange(pods.Where(p => !p.IsTerminating()).Select(p => new PodDeletion(p, DeletionReason.OwnerDeleted)));
            return new DaemonSetPlan(create, delete);
        }

        var rolling = ds.Spec.UpdateStrategy?.Type == "RollingUpdate";
        var rules = Placement.For(ds, context);
        var decisions = nodes.ToDictionary(n => n.Metadata.Name, rules.Evaluate, StringComparer.Ordinal);
        var desired = decisions.Values.Count(d => d.ShouldRun);
        var recheckAt = decisions.Values.Select(d => d.RecheckAt).Where(t => t is not null).Min();
        var maxSurge = rolling ? RollingUpdateBudget.MaxSurge(ds, desired) : 0;
        var eligible = new List<(Node Node, List<Pod> Live)>();
        foreach (var node in nodes)
        {
            var placement = decisions[node.Metadata.Name];
            var onNode = podsByNode.GetValueOrDefault(node.Metadata.Name) ?? [];

            // A finished pod goes, so that the node gets a new one (Kubernetes: Failed and Succeeded daemon pods are deleted).
            delete.AddRange(onNode.Where(p => PodConditions.IsTerminal(p) && !p.IsTerminating()).Select(p => new PodDeletion(p, DeletionReason.Finished)));
            var live = onNode.Where(p => !p.IsTerminating() && !PodConditions.IsTerminal(p)).ToList();
            live.Sort(PodConditions.CompareOldestFirst);

            if (!placement.ShouldContinueRunning)
            {
                var reason = placement.EvictsByTaint ? DeletionReason.TaintEviction : DeletionReason.NodeNoLongerEligible;
                delete.AddRange(live.Select(p => new PodDeletion(p, reason)));
                continue;
            }

            // Without surge a pod on its way out still occupies the node: its replacement waits until it is gone.
            var occupied = maxSurge > 0 ? live.Count > 0 : onNode.Count > 0;
            if (placement.ShouldRun && !occupied)
            {
                create.Add(node.Metadata.Name);
            }

            delete.AddRange(Duplicates(live, maxSurge > 0, currentHash));
            if (placement.ShouldRun)
            {
                eligible.Add((node, live));
            }
        }

        // Pods bound to nodes that no longer exist: there is no pod garbage collector, the controller cleans them up.
        foreach (var (nodeName, onNode) in podsByNode)
        {
            if (!nodeNames.Contains(nodeName))
            {
                delete.AddRange(onNode.Where(p => !p.IsTerminating()).Select(p => new PodDeletion(p, DeletionReason.NodeNoLongerEligible)));
            }
        }

        if (rolling)
        {
            var minReady = ds.Spec.MinReadySeconds;
            if (maxSurge > 0)
            {
                var (surgeCreates, surgeDeletes) = CreateFirst(eligible, currentHash, maxSurge, minReady, now);
                create.AddRange(surgeCreates);
                delete.AddRange(surgeDeletes);
            }
            else
            {
                delete.AddRange(DeleteFirst(eligible, currentHash, RollingUpdateBudget.MaxUnavailable(ds, desired), minReady, now));
            }
        }

        // A pod ready but not yet for minReadySeconds becomes available with no event to say so: sync again then.
        var availableAt = pods.Where(p => !p.IsTerminating()).Select(p => PodConditions.AvailableAt(p, ds.Spec.MinReadySeconds, now)).Where(t => t is not null).Min();
        return new DaemonSetPlan(create, delete) { RecheckAt = new[] { recheckAt, availableAt }.Where(t => t is not null).Min() };
    }

    public static bool IsCurrent(Pod pod, string currentHash) =>
        pod.Metadata.Labels.TryGetValue(PodFactory.RevisionHashLabel, out var hash) && hash == currentHash;

    /// <summary>
    /// More than one pod on a node: keep the oldest (with surge: the oldest of the current template and the oldest of
    /// an old one), delete the rest. <paramref name="live"/> is left holding the pods kept.
    /// </summary>
    private static IEnumerable<PodDeletion> Duplicates(List<Pod> live, bool surge, string currentHash)
    {
        var keep = surge
            ? live.Where(p => IsCurrent(p, currentHash)).Take(1).Concat(live.Where(p => !IsCurrent(p, currentHash)).Take(1)).ToHashSet()
            : live.Take(1).ToHashSet();
        var extra = live.Where(p => !keep.Contains(p)).ToList();
        live.RemoveAll(p => !keep.Contains(p));
        return extra.Select(p => new PodDeletion(p, DeletionReason.Duplicate));
    }

    /// <summary>
    /// maxSurge 0: an old pod that is not available is replaced at once; available old pods are replaced while fewer
    /// than maxUnavailable nodes lack an available pod. A node waiting for its pod counts as unavailable.
    /// </summary>
    private static IEnumerable<PodDeletion> DeleteFirst(List<(Node Node, List<Pod> Live)> nodes, string currentHash, int maxUnavailable, int minReady, DateTimeOffset now)
    {
        var unavailable = 0;
        var candidates = new List<Pod>();
        var replacements = new List<Pod>();
        foreach (var (_, live) in nodes)
        {
            if (live.Count == 0)
            {
                unavailable++;
                continue;
            }

            var pod = live[0];
            var available = PodConditions.IsAvailable(pod, minReady, now);
            if (IsCurrent(pod, currentHash))
            {
                unavailable += available ? 0 : 1;
            }
            else if (!available)
            {
                replacements.Add(pod);
                unavailable++;
            }
            else
            {
                candidates.Add(pod);
            }
        }

        var budget = Math.Max(0, maxUnavailable - unavailable);
        return replacements.Concat(candidates.OrderBy(p => p.Spec.NodeName, StringComparer.Ordinal).Take(budget))
            .Select(p => new PodDeletion(p, DeletionReason.Outdated));
    }

    /// <summary>
    /// maxSurge above 0: the new pod starts beside the old one, at most maxSurge nodes at a time (an old pod that is not
    /// available is replaced regardless), and the old pod goes once the new one is available.
    /// </summary>
    private static (List<string> Creates, List<PodDeletion> Deletes) CreateFirst(List<(Node Node, List<Pod> Live)> nodes, string currentHash, int maxSurge, int minReady, DateTimeOffset now)
    {
        var creates = new List<string>();
        var deletes = new List<PodDeletion>();
        var candidates = new List<string>();
        var surging = 0;
        foreach (var (node, live) in nodes)
        {
            var old = live.FirstOrDefault(p => !IsCurrent(p, currentHash));
            var current = live.FirstOrDefault(p => IsCurrent(p, currentHash));
            if (old is null)
            {
                continue;
            }

            if (current is null)
            {
                if (PodConditions.IsAvailable(old, minReady, now))
                {
                    candidates.Add(node.Metadata.Name);
                }
                else
                {
                    creates.Add(node.Metadata.Name);
                }
            }
            else if (PodConditions.IsAvailable(current, minReady, now))
            {
                deletes.Add(new PodDeletion(old, DeletionReason.Outdated));
            }
            else
            {
                surging++;
            }
        }

        creates.AddRange(candidates.Order(StringComparer.Ordinal).Take(Math.Max(0, maxSurge - surging)));
        return (creates, deletes);
    }
}
