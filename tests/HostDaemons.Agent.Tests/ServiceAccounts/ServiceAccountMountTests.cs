using HostDaemons.Agent.ServiceAccounts;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.ServiceAccounts;

public sealed class ServiceAccountMountTests
{
    [Theory]
    [InlineData(null, null, true)]
    [InlineData(null, true, true)]
    [InlineData(null, false, false)]
    [InlineData(true, false, true)]
    [InlineData(false, true, false)]
    [InlineData(false, null, false)]
    public void ShouldMount_PodFieldWinsElseTheAccountsElseYes(bool? podSays, bool? accountSays, bool mounted)
    {
        var pod = TestPods.Pod();
        if (podSays is { } p)
        {
            pod.Spec.AutomountServiceAccountToken = p;
        }

        var account = new ServiceAccount { Metadata = new ObjectMeta { Name = "default" } };
        if (accountSays is { } a)
        {
            account.AutomountServiceAccountToken = a;
        }

        Assert.Equal(mounted, ServiceAccountMount.ShouldMount(pod, isStatic: false, account));
        Assert.Equal(podSays is null, ServiceAccountMount.NeedsAccount(pod.Spec));
    }

    [Fact]
    public void ShouldMount_AccountNotKnown_MountsAndTheTokenRequestDecides()
    {
        Assert.True(ServiceAccountMount.ShouldMount(TestPods.Pod(), isStatic: false, account: null));
    }

    [Fact]
    public void ShouldMount_StaticOrMirrorPod_Never()
    {
        var pod = TestPods.Pod();
        pod.Spec.AutomountServiceAccountToken = true;
        Assert.False(ServiceAccountMount.ShouldMount(pod, isStatic: true, account: null));

        pod.Metadata.Annotations[MirrorPodAnnotations.Mirror] = "hash";
        Assert.False(ServiceAccountMount.ShouldMount(pod, isStatic: false, account: null));
    }

    [Fact]
    public void MountsInto_ContainerWithItsOwnMountThere_KeepsIt()
    {
        var own = TestPods.Container();
        own.VolumeMounts.Add(new VolumeMount { Name = "mine", MountPath = ServiceAccountMount.MountPath });
        var elsewhere = TestPods.Container("other");
        elsewhere.VolumeMounts.Add(new VolumeMount { Name = "mine", MountPath = "/var/run/secrets" });

        Assert.False(ServiceAccountMount.MountsInto(own));
        Assert.True(ServiceAccountMount.MountsInto(elsewhere));
    }
}
