using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Patching;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

/// <summary>Revision history as Kubernetes keeps it: numbering, renumbering on rollback, cleanup, change-cause.</summary>
public sealed class RolloutHistoryTests
{
    private static DaemonSet Ds(string image)
    {
        var ds = DaemonSet(image: image, uid: "ds-uid");
        ds.Metadata.Annotations["kubernetes.io/change-cause"] = "to " + image;
        ds.Metadata.Annotations["kubectl.kubernetes.io/last-applied-configuration"] = "{}";
        return ds;
    }

    private static ControllerRevision Revision(string image, long number)
    {
        var ds = Ds(image);
        return ControllerRevisions.Snapshot(ds, ControllerRevisions.Hash(ds), number);
    }

    [Fact]
    public void Construct_NoHistory_CreatesRevisionOneAsKubernetesNamesAndLabelsIt()
    {
        var ds = Ds("busybox:1");
        var hash = ControllerRevisions.Hash(ds);

        var step = RevisionHistory.Construct(ds, [], hash)!;

        var created = step.Create!;
        Assert.Equal($"agent-{hash}", created.Metadata.Name);
        Assert.Equal(1, created.Revision);
        Assert.Equal(hash, created.Metadata.Labels["controller-revision-hash"]);
        Assert.Equal("agent", created.Metadata.Labels["app"]);
        Assert.Equal("to busybox:1", created.Metadata.Annotations["kubernetes.io/change-cause"]);
        Assert.False(created.Metadata.Annotations.ContainsKey("kubectl.kubernetes.io/last-applied-configuration"));
        Assert.Equal(("DaemonSet", "ds-uid", true), (created.Metadata.OwnerReferences[0].Kind, created.Metadata.OwnerReferences[0].Uid, created.Metadata.OwnerReferences[0].Controller));
        Assert.Equal(ds.Spec.Template, created.Data.Spec.Template.ToPodTemplate());
        Assert.Equal("replace", created.Data.Spec.Template.Patch);
        Assert.Equal("apps/v1", created.ApiVersion);
        Assert.Equal("ControllerRevision", created.Kind);
        Assert.Equal(hash, step.Hash);
        Assert.Equal(1, step.Number);
    }

    [Fact]
    public void Snapshot_Data_IsKubernetesReplacePatchThatUndoesAnAddedContainerAndEnv()
    {
        var old = Ds("busybox:1");
        var revision = ControllerRevisions.Snapshot(old, ControllerRevisions.Hash(old), 1);
        var current = Ds("busybox:2");
        current.Spec.Template.Spec.Containers[0].Env.Add(new EnvVar { Name = "ADDED", Value = "later" });
        current.Spec.Template.Spec.Containers.Add(new Container { Name = "sidecar", Image = "proxy:1" });
        current.Spec.Template.Metadata.Labels["added"] = "later";

        // kubectl rollout undo sends the revision's data, as served, back as a strategic merge patch.
        var data = ObjectEncoder.Encode(revision)["data"]!;
        var undone = StrategicMergePatch.Apply(ObjectEncoder.Encode(current), data, Model.V1.DaemonSet.Descriptor);

        Assert.StartsWith("""{"spec":{"template":{"$patch":"replace","metadata":{""", data.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(ObjectEncoder.Encode(old)["spec"]!["template"]!.ToJsonString(), undone["spec"]!["template"]!.ToJsonString());
    }

    [Fact]
    public void Construct_NewTemplate_GetsTheNextNumber()
    {
        var ds = Ds("busybox:3");

        var step = RevisionHistory.Construct(ds, [Revision("busybox:1", 1), Revision("busybox:2", 4)], ControllerRevisions.Hash(ds))!;

        Assert.Equal(5, step.Create!.Revision);
    }

    [Fact]
    public void Construct_CurrentIsNewest_NothingToDo()
    {
        var ds = Ds("busybox:2");

        var step = RevisionHistory.Construct(ds, [Revision("busybox:1", 1), Revision("busybox:2", 2)], ControllerRevisions.Hash(ds))!;

        Assert.Null(step.Create);
        Assert.Null(step.Renumber);
        Assert.Equal(2, step.Number);
    }

    [Fact]
    public void Construct_RolledBackFromTwoToOne_RenumbersOneToThree()
    {
        var ds = Ds("busybox:1");
        var one = Revision("busybox:1", 1);

        var step = RevisionHistory.Construct(ds, [one, Revision("busybox:2", 2)], ControllerRevisions.Hash(ds))!;

        Assert.Same(one, step.Current);
        Assert.Equal(3, step.Renumber);
        Assert.Equal(ControllerRevisions.HashOf(one), step.Hash);
    }

    [Fact]
    public void Construct_NameTakenByAnotherTemplate_IsACollision()
    {
        var ds = Ds("busybox:2");
        var impostor = Revision("busybox:1", 1);
        impostor.Metadata.Name = ControllerRevisions.Name(ds, ControllerRevisions.Hash(ds));

        Assert.Null(RevisionHistory.Construct(ds, [impostor], ControllerRevisions.Hash(ds)));
    }

    [Fact]
    public void Hash_CollisionCount_GivesAnotherHash()
    {
        var ds = Ds("busybox:1");
        var before = ControllerRevisions.Hash(ds);
        ds.Status = new DaemonSetStatus { CollisionCount = 1 };

        Assert.NotEqual(before, ControllerRevisions.Hash(ds));
    }

    [Fact]
    public void Cleanup_BeyondTheLimit_LowestFirstButNeverOneAPodRuns()
    {
        var ds = Ds("busybox:9");
        ds.Spec.RevisionHistoryLimit = 2;
        var old = Enumerable.Range(1, 5).Select(i => Revision($"busybox:{i}", i)).ToList();
        var pod = DaemonPod(ds, "n1", ControllerRevisions.HashOf(old[0]), "still-on-one");

        var deleted = RevisionHistory.Cleanup(ds, old, [pod]);

        Assert.Equal([2L, 3L, 4L], deleted.Select(r => r.Revision));
        Assert.Empty(RevisionHistory.Cleanup(ds, old.Take(2), []));
    }

    [Fact]
    public void Cleanup_LimitZero_KeepsOnlyWhatPodsRun()
    {
        var ds = Ds("busybox:9");
        ds.Spec.RevisionHistoryLimit = 0;
        var old = Enumerable.Range(1, 3).Select(i => Revision($"busybox:{i}", i)).ToList();

        Assert.Equal(3, RevisionHistory.Cleanup(ds, old, []).Count);
    }

    /// <summary>A DaemonSet as the previous version stored it: without the defaults issue 13 added to existing fields.</summary>
    private static DaemonSet StoredBeforeLateDefaults()
    {
        var ds = Ds("busybox:1");
        ds.Spec.Template.Spec.SchedulerName = "";
        ds.Spec.Template.Spec.Containers[0].TerminationMessagePath = "";
        ds.Spec.Template.Spec.Containers[0].TerminationMessagePolicy = "";
        return ds;
    }

    [Fact]
    public void Hash_SameManifestAppliedAfterAnUpgradeAddedDefaults_IsTheStoredRevisionsHash()
    {
        var stored = StoredBeforeLateDefaults();
        var revision = ControllerRevisions.Snapshot(stored, ControllerRevisions.Hash(stored), 1);
        var reapplied = stored.Clone();
        ObjectDefaults.Apply(reapplied);
        Assert.NotEqual(stored.Spec.Template, reapplied.Spec.Template);

        Assert.Equal(ControllerRevisions.HashOf(revision), ControllerRevisions.Hash(reapplied));
        Assert.True(ControllerRevisions.Matches(revision, reapplied));
    }
}
