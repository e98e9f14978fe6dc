using System.Globalization;
using HostDaemons.Model.Hashing;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Controller;

/// <summary>
/// A DaemonSet's ControllerRevisions as Kubernetes' daemon controller makes them (<c>update.go: snapshot</c>): named
/// <c>&lt;ds&gt;-&lt;hash&gt;</c>, labelled with the template's labels and <c>controller-revision-hash</c>, annotated with
/// the DaemonSet's annotations at that moment (so <c>kubernetes.io/change-cause</c> travels with it), owned by the
/// DaemonSet, holding the template.
/// </summary>
internal static class ControllerRevisions
{
    public const string ChangeCauseAnnotation = "kubernetes.io/change-cause";

    /// <summary>kubectl's annotation on the pod template for <c>rollout restart</c>.</summary>
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    private const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>
    /// The template's hash, as Kubernetes' ComputeHash: the collision count, when the DaemonSet has one, is hashed in,
    /// so that a collision gives another name. Defaults added in later versions are left out, so an upgrade keeps the
    /// hash of every stored template and rolls no pod.
    /// </summary>
    public static string Hash(DaemonSet ds)
    {
        var canonical = ObjectEncoder.Encode(ObjectDefaults.WithoutLateDefaults(ds.Spec.Template)).ToJsonString();
        var collisions = ds.Status?.HasCollisionCount == true ? ds.Status.CollisionCount : 0;
        return ObjectHash.Compute(collisions == 0 ? canonical : canonical + "/" + collisions.ToString(CultureInfo.InvariantCulture));
    }

    public static string Name(DaemonSet ds, string hash) => $"{ds.Metadata.Name}-{hash}";

    public static string HashOf(ControllerRevision revision) =>
        revision.Metadata.Labels.TryGetValue(PodFactory.RevisionHashLabel, out var hash) ? hash : "";

    public static PodTemplateSpec? Template(ControllerRevision revision) => revision.Data?.Spec?.Template?.ToPodTemplate();

    /// <summary>
    /// Whether the revision holds the DaemonSet's template (Kubernetes compares the stored patch bytes), defaults added
    /// since the revision was stored aside.
    /// </summary>
    public static bool Matches(ControllerRevision revision, DaemonSet ds) =>
        Template(revision) is { } template && ds.Spec.Template is not null
            ? Equals(ObjectDefaults.WithoutLateDefaults(template), ObjectDefaults.WithoutLateDefaults(ds.Spec.Template))
            : Equals(Template(revision), ds.Spec.Template);

    public static bool IsOwnedBy(ControllerRevision revision, DaemonSet ds) => revision.Metadata.ControllerRef()?.Uid == ds.Metadata.Uid;

    /// <summary>The revisions <paramref name="ds"/> controls, lowest revision first.</summary>
    public static List<ControllerRevision> OwnedBy(DaemonSet ds, IEnumerable<ControllerRevision> revisions) =>
        [.. revisions.Where(r => IsOwnedBy(r, ds)).OrderBy(r => r.Revision).ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)];

    public static ControllerRevision Snapshot(DaemonSet ds, string hash, long revision)
    {
        var snapshot = new ControllerRevision
        {
            ApiVersion = ResourceKinds.ControllerRevision.ApiVersion,
            Kind = ResourceKinds.ControllerRevision.KindName,
            Metadata = new ObjectMeta { Name = Name(ds, hash), Namespace = ds.Metadata.Namespace },
            Data = new ControllerRevisionData { Spec = new ControllerRevisionSpec { Template = ControllerRevisionTemplate.Replacing(ds.Spec.Template) } },
            Revision = revision,
        };
        if (ds.Spec.Template.Metadata is { } templateMeta)
        {
            snapshot.Metadata.Labels.Add(templateMeta.Labels);
        }

        snapshot.Metadata.Labels[PodFactory.RevisionHashLabel] = hash;

        // The last-applied configuration is the whole manifest again: history keeps what tells revisions apart.
        foreach (var (key, value) in ds.Metadata.Annotations.Where(a => a.Key != LastAppliedAnnotation))
        {
            snapshot.Metadata.Annotations[key] = value;
        }

        snapshot.Metadata.OwnerReferences.Add(PodFactory.OwnerReference(ds));
        return snapshot;
    }
}
