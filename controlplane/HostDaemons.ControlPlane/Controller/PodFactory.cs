using HostDaemons.Model.Hashing;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>Builds a daemon pod from a DaemonSet's template for one node (Kubernetes' CreatePodTemplate).</summary>
internal static class PodFactory
{
    public const string RevisionHashLabel = "controller-revision-hash";

    /// <summary>The template's hash, as its ControllerRevision is named and labelled.</summary>
    public static string TemplateHash(DaemonSet ds) => ControllerRevisions.Hash(ds);

    public static Pod Create(DaemonSet ds, string nodeName, string hash, string name)
    {
        var template = ds.Spec.Template;
        var pod = new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta
            {
                Name = name,
                GenerateName = ds.Metadata.Name + "-",
                Namespace = ds.Metadata.Namespace,
            },
            Spec = template.Spec.Clone(),
            Status = new PodStatus { Phase = "Pending" },
        };
        if (template.Metadata is not null)
        {
            pod.Metadata.Labels.Add(template.Metadata.Labels);
            pod.Metadata.Annotations.Add(template.Metadata.Annotations);
        }

        pod.Metadata.Labels[RevisionHashLabel] = hash;
        pod.Metadata.OwnerReferences.Add(OwnerReference(ds));
        pod.Spec.NodeName = nodeName;
        ObjectDefaults.ApplyPodOnly(pod.Spec);
        DefaultTolerations.AddTo(pod.Spec);
        return pod;
    }

    public static OwnerReference OwnerReference(DaemonSet ds) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Name = ds.Metadata.Name,
        Uid = ds.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    public static string NewName(DaemonSet ds) => $"{ds.Metadata.Name}-{ObjectHash.RandomSuffix()}";
}
