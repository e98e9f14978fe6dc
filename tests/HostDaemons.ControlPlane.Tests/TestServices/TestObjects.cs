using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>Builders for the objects tests need: small, valid, and with only the fields a test names.</summary>
internal static class TestObjects
{
    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static DaemonSet DaemonSet(string name = "agent", IDictionary<string, string>? nodeSelector = null, string image = "busybox:1.36",
        string uid = "", string @namespace = "default")
    {
        var ds = new DaemonSet
        {
            ApiVersion = "apps/v1",
            Kind = "DaemonSet",
            Metadata = new ObjectMeta { Name = name, Namespace = @namespace, Uid = uid, Generation = 1 },
            Spec = new DaemonSetSpec
            {
                Selector = new LabelSelector { MatchLabels = { ["app"] = name } },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = { ["app"] = name } },
                    Spec = new PodSpec { Containers = { new Container { Name = "main", Image = image } } },
                },
            },
        };
        if (nodeSelector is not null)
        {
            ds.Spec.Template.Spec.NodeSelector.Add(nodeSelector);
        }

        ObjectDefaults.Apply(ds);
        return ds;
    }

    public static DaemonSet WithMaxUnavailable(this DaemonSet ds, IntOrString value)
    {
        ds.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable = value;
        return ds;
    }

    public static DaemonSet WithOnDelete(this DaemonSet ds)
    {
        ds.Spec.UpdateStrategy = new DaemonSetUpdateStrategy { Type = "OnDelete" };
        return ds;
    }

    public static DaemonSet WithTolerations(this DaemonSet ds, params Toleration[] tolerations)
    {
        ds.Spec.Template.Spec.Tolerations.Add(tolerations);
        return ds;
    }

    public static DaemonSet WithNodeAffinity(this DaemonSet ds, params NodeSelectorTerm[] terms)
    {
        var spec = ds.Spec.Template.Spec;
        spec.Affinity ??= new Affinity();
        spec.Affinity.NodeAffinity ??= new NodeAffinity();
        spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = new NodeSelector { NodeSelectorTerms = { terms } };
        return ds;
    }

    public static DaemonSet WithPodAffinity(this DaemonSet ds, params PodAffinityTerm[] terms)
    {
        var spec = ds.Spec.Template.Spec;
        spec.Affinity ??= new Affinity();
        spec.Affinity.PodAffinity = new PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = { terms } };
        return ds;
    }

    public static DaemonSet WithPodAntiAffinity(this DaemonSet ds, params PodAffinityTerm[] terms)
    {
        var spec = ds.Spec.Template.Spec;
        spec.Affinity ??= new Affinity();
        spec.Affinity.PodAntiAffinity = new PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = { terms } };
        return ds;
    }

    public static NodeSelectorTerm Term(params NodeSelectorRequirement[] expressions) => new() { MatchExpressions = { expressions } };

    public static NodeSelectorTerm FieldTerm(params NodeSelectorRequirement[] fields) => new() { MatchFields = { fields } };

    public static NodeSelectorRequirement Expression(string key, string @operator, params string[] values) =>
        new() { Key = key, Operator = @operator, Values = { values } };

    /// <summary>A pod affinity term selecting <c>k=v</c> labels (null: no selector at all) in the given namespaces.</summary>
    public static PodAffinityTerm PodTerm(string? matchLabels, string topologyKey, params string[] namespaces)
    {
        var term = new PodAffinityTerm { TopologyKey = topologyKey, Namespaces = { namespaces } };
        if (matchLabels is not null)
        {
            term.LabelSelector = new LabelSelector();
            if (matchLabels.Length > 0)
            {
                term.LabelSelector.MatchLabels.Add(Labels(matchLabels.Split(',')));
            }
        }

        return term;
    }

    public static Pod WithLabels(this Pod pod, params string[] labels)
    {
        pod.Metadata.Labels.Add(Labels(labels));
        return pod;
    }

    public static IntOrString Int(int value) => new() { IntValue = value };

    public static IntOrString Percent(string value) => new() { StringValue = value };

    public static Node Node(string name, IDictionary<string, string>? labels = null, params Taint[] taints)
    {
        var node = new Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new ObjectMeta { Name = name, Uid = "uid-" + name },
            Spec = new NodeSpec(),
        };
        if (labels is not null)
        {
            node.Metadata.Labels.Add(labels);
        }

        node.Spec.Taints.Add(taints);
        return node;
    }

    public static Taint Taint(string key, string effect, string value = "") => new() { Key = key, Value = value, Effect = effect };

    public static Toleration Toleration(string key, string @operator, string value = "", string effect = "") =>
        new() { Key = key, Operator = @operator, Value = value, Effect = effect };

    public static Dictionary<string, string> Labels(params string[] pairs) =>
        pairs.Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    /// <summary>A daemon pod of <paramref name="ds"/> as the controller creates it, with a chosen name, age and readiness.</summary>
    public static Pod DaemonPod(DaemonSet ds, string nodeName, string hash, string name, DateTimeOffset? created = null,
        DateTimeOffset? readySince = null, bool terminating = false, string? phase = null)
    {
        var pod = PodFactory.Create(ds, nodeName, hash, name);
        pod.Metadata.Uid = "uid-" + name;
        pod.Metadata.CreationTimestamp = Timestamp.FromDateTimeOffset(created ?? Epoch);
        if (readySince is { } since)
        {
            pod.Status = new PodStatus { Phase = "Running" };
            pod.Status.Conditions.Add(new PodCondition { Type = "Ready", Status = "True", LastTransitionTime = Timestamp.FromDateTimeOffset(since) });
        }

        if (phase is not null)
        {
            pod.Status.Phase = phase;
        }

        if (terminating)
        {
            pod.Metadata.DeletionTimestamp = Timestamp.FromDateTimeOffset(created ?? Epoch);
            pod.Metadata.DeletionGracePeriodSeconds = 30;
        }

        return pod;
    }

    /// <summary>A plain pod bound to a node, with no owner.</summary>
    public static Pod Pod(string name, string nodeName, string @namespace = "default", string? ownerUid = null)
    {
        var pod = new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta { Name = name, Namespace = @namespace },
            Spec = new PodSpec { NodeName = nodeName, Containers = { new Container { Name = "main", Image = "busybox:1.36" } } },
            Status = new PodStatus { Phase = "Pending" },
        };
        if (ownerUid is not null)
        {
            pod.Metadata.OwnerReferences.Add(new OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = "owner", Uid = ownerUid, Controller = true });
        }

        return pod;
    }
}
