using HostDaemons.Model.Labels;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// The required podAffinity and podAntiAffinity terms of a DaemonSet, as the scheduler's InterPodAffinity filter checks
/// them, over the pods on the nodes (other DaemonSets' pods and static pods alike; the DaemonSet's own pods are the
/// outcome of the decision, so they are left out). A topology domain is the set of nodes sharing the value of the
/// term's topologyKey label.
/// <list type="bullet">
/// <item>Affinity: for every term, a pod matching every term runs in the node's domain of that term's key; a node
/// without the key fails. When no such pod runs anywhere and the daemon's own template matches every term, the node
/// passes (the scheduler's "first pod of a series").</item>
/// <item>Anti-affinity: no pod matching a term runs in the node's domain of that term's key; a node without the key
/// passes the term.</item>
/// </list>
/// Unlike the scheduler, existing pods' own anti-affinity is not checked against the daemon.
/// </summary>
internal sealed class PodAffinityRules
{
    private readonly IReadOnlyList<PodAffinityTerm> _affinity;
    private readonly IReadOnlyList<HashSet<string>> _affinityDomains;
    private readonly bool _firstOfSeries;
    private readonly IReadOnlyList<PodAffinityTerm> _antiAffinity;
    private readonly IReadOnlyList<Dictionary<string, Pod>> _antiAffinityDomains;
    private readonly string _namespace;

    private PodAffinityRules(DaemonSet ds, IReadOnlyList<PodAffinityTerm> affinity, IReadOnlyList<PodAffinityTerm> antiAffinity, PlacementContext context)
    {
        _namespace = ds.Metadata.Namespace;
        _affinity = affinity;
        _antiAffinity = antiAffinity;
        var others = context.BoundPods.Where(p => p.Metadata.ControllerRef()?.Uid is not { } uid || uid != ds.Metadata.Uid).ToList();

        var matchingAll = others.Where(p => affinity.All(t => Matches(t, p.Metadata.Namespace, p.Metadata.Labels))).ToList();
        _affinityDomains = [.. affinity.Select(t => Domains(t.TopologyKey, matchingAll, context).Keys.ToHashSet(StringComparer.Ordinal))];
        var templateLabels = (IReadOnlyDictionary<string, string>?)ds.Spec.Template?.Metadata?.Labels ?? new Dictionary<string, string>();
        _firstOfSeries = _affinityDomains.All(d => d.Count == 0) && affinity.All(t => Matches(t, _namespace, templateLabels));

        _antiAffinityDomains = [.. antiAffinity.Select(t => Domains(t.TopologyKey, others.Where(p => Matches(t, p.Metadata.Namespace, p.Metadata.Labels)), context))];
    }

    /// <summary>The rules of the DaemonSet, or null when it has no required pod affinity or anti-affinity term.</summary>
    public static PodAffinityRules? For(DaemonSet ds, PlacementContext context)
    {
        var affinity = ds.Spec.Template?.Spec?.Affinity;
        var required = affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [];
        var anti = affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [];
        return required.Count == 0 && anti.Count == 0 ? null : new PodAffinityRules(ds, [.. required], [.. anti], context);
    }

    /// <summary>True when the DaemonSet has terms a change of this pod (in this namespace, with these labels) could affect.</summary>
    public static bool DependsOn(DaemonSet ds, string podNamespace, IReadOnlyDictionary<string, string> podLabels)
    {
        var affinity = ds.Spec.Template?.Spec?.Affinity;
        var terms = (affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []).Concat(affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []);
        return terms.Any(t => Matches(t, podNamespace, podLabels, ds.Metadata.Namespace));
    }

    /// <summary>True when the DaemonSet has any required pod affinity or anti-affinity term.</summary>
    public static bool HasTerms(DaemonSet ds)
    {
        var affinity = ds.Spec.Template?.Spec?.Affinity;
        return affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution.Count > 0
            || affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution.Count > 0;
    }

    /// <summary>Null when the node passes every term, else the first rule it fails and why.</summary>
    public (PlacementRule Rule, string Reason)? Check(Node node)
    {
        var labels = node.Metadata.Labels;
        var missing = false;
        for (var i = 0; i < _affinity.Count; i++)
        {
            var term = _affinity[i];
            if (!labels.TryGetValue(term.TopologyKey, out var value))
            {
                return (PlacementRule.PodAffinity, $"podAffinity {Describe(term)}: node has no label {term.TopologyKey}");
            }

            if (!_affinityDomains[i].Contains(value) && !missing)
            {
                missing = true;
                if (!_firstOfSeries)
                {
                    return (PlacementRule.PodAffinity, $"podAffinity {Describe(term)} not matched: no such pod where {term.TopologyKey}={value}");
                }
            }
        }

        for (var i = 0; i < _antiAffinity.Count; i++)
        {
            var term = _antiAffinity[i];
            if (labels.TryGetValue(term.TopologyKey, out var value) && _antiAffinityDomains[i].TryGetValue(value, out var pod))
            {
                return (PlacementRule.PodAntiAffinity,
                    $"podAntiAffinity {Describe(term)} matched by pod {pod.Metadata.Namespace}/{pod.Metadata.Name} where {term.TopologyKey}={value}");
            }
        }

        return null;
    }

    /// <summary>The selector and the namespaces when they are not the DaemonSet's: <c>app=web</c>, <c>app=web in kube-system</c>.</summary>
    private string Describe(PodAffinityTerm term)
    {
        var selector = term.LabelSelector is null ? "<no selector>" : LabelSelectors.IsEmpty(term.LabelSelector) ? "<any pod>" : LabelSelectors.Format(term.LabelSelector);
        return term.Namespaces.Count == 0 || (term.Namespaces.Count == 1 && term.Namespaces[0] == _namespace)
            ? selector
            : $"{selector} in {string.Join(",", term.Namespaces)}";
    }

    private bool Matches(PodAffinityTerm term, string podNamespace, IReadOnlyDictionary<string, string> podLabels) =>
        Matches(term, podNamespace, podLabels, _namespace);

    /// <summary>A pod matches a term when it is in one of its namespaces (none: the daemon's) and the selector (null: none) matches.</summary>
    private static bool Matches(PodAffinityTerm term, string podNamespace, IReadOnlyDictionary<string, string> podLabels, string ownNamespace)
    {
        var inNamespace = term.Namespaces.Count == 0 ? podNamespace == ownNamespace : term.Namespaces.Contains(podNamespace);
        return inNamespace && term.LabelSelector is not null && LabelSelectors.Matches(term.LabelSelector, podLabels);
    }

    /// <summary>The topology values (of <paramref name="key"/>) of the nodes the pods run on, each with the first pod found there.</summary>
    private static Dictionary<string, Pod> Domains(string key, IEnumerable<Pod> pods, PlacementContext context)
    {
        var domains = new Dictionary<string, Pod>(StringComparer.Ordinal);
        foreach (var pod in pods.OrderBy(p => p.Metadata.Namespace, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            if (context.NodesByName.TryGetValue(pod.Spec.NodeName, out var node) && node.Metadata.Labels.TryGetValue(key, out var value))
            {
                domains.TryAdd(value, pod);
            }
        }

        return domains;
    }
}
