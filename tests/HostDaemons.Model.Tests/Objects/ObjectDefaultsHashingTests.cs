using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Objects;

/// <summary>
/// What revision hashes and static pod uids are computed from: a template stored before issue 13's defaults must hash
/// as the same template with them, or an upgrade would restart every pod.
/// </summary>
public sealed class ObjectDefaultsHashingTests
{
    /// <summary>A template as the previous version stored it: defaulted, without the defaults issue 13 added.</summary>
    private static PodTemplateSpec StoredBeforeUpgrade()
    {
        var template = TestObjects.DaemonSet().Spec.Template;
        template.Spec.Containers[0].Ports.Add(new ContainerPort { ContainerPort_ = 80 });
        ObjectDefaults.Apply(template.Spec);
        template.Spec.SchedulerName = "";
        foreach (var container in template.Spec.Containers)
        {
            container.TerminationMessagePath = "";
            container.TerminationMessagePolicy = "";
        }

        return template;
    }

    [Fact]
    public void WithoutLateDefaults_TemplateDefaultedNow_EncodesAsTheOneStoredBefore()
    {
        var stored = StoredBeforeUpgrade();
        var applied = stored.Clone();
        ObjectDefaults.Apply(applied.Spec);
        Assert.NotEqual(stored, applied);

        Assert.Equal(ObjectEncoder.Encode(stored).ToJsonString(), ObjectEncoder.Encode(ObjectDefaults.WithoutLateDefaults(applied)).ToJsonString());
        Assert.Equal(stored, ObjectDefaults.WithoutLateDefaults(stored));
    }

    [Fact]
    public void WithoutLateDefaults_StaticPodDefaultedNow_IsThePodDefaultedBefore()
    {
        var before = new Pod { Metadata = new ObjectMeta { Name = "monitor" }, Spec = StoredBeforeUpgrade().Spec };
        var now = before.Clone();
        ObjectDefaults.Apply(now.Spec);
        ObjectDefaults.ApplyPodOnly(now.Spec);

        Assert.Equal(before, ObjectDefaults.WithoutLateDefaults(now));
    }

    [Fact]
    public void WithoutLateDefaults_ValuesOtherThanTheDefaults_AreKept()
    {
        var template = StoredBeforeUpgrade();
        template.Spec.SchedulerName = "my-scheduler";
        template.Spec.EnableServiceLinks = false;
        template.Spec.Containers[0].TerminationMessagePath = "/tmp/status";
        template.Spec.Containers[0].TerminationMessagePolicy = "FallbackToLogsOnError";

        Assert.Equal(template, ObjectDefaults.WithoutLateDefaults(template));
    }

    [Fact]
    public void WithoutLateDefaults_LeavesItsArgumentAlone()
    {
        var template = StoredBeforeUpgrade();
        ObjectDefaults.Apply(template.Spec);
        var copy = template.Clone();

        ObjectDefaults.WithoutLateDefaults(template);

        Assert.Equal(copy, template);
    }
}
