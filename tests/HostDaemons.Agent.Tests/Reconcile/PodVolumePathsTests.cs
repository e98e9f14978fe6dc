using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>Where a pod's volumes live on the host, and what a node context holds by default.</summary>
public sealed class PodVolumePathsTests
{
    private const string Uid = "u-1";
    private static readonly NodeContext s_node = new(TestPods.Node, "192.0.2.10", "/var/lib/hostdaemons/test/pods", new ContainerLogLimits("10m", 3));

    [Fact]
    public void HostPath_HostPathVolume_IsItsPath()
    {
        var volume = new Volume { Name = "h", HostPath = new HostPathVolumeSource { Path = "/srv/data", Type = "Directory" } };

        Assert.Equal("/srv/data", PodVolumePaths.HostPath(TestPods.Pod(uid: Uid), volume, s_node));
    }

    [Fact]
    public void HostPath_EmptyDirOnDisk_IsUnderThePodsVolumesDirectory()
    {
        var volume = new Volume { Name = "cache", EmptyDir = new EmptyDirVolumeSource() };

        Assert.Equal("/var/lib/hostdaemons/test/pods/u-1/volumes/cache", PodVolumePaths.HostPath(TestPods.Pod(uid: Uid), volume, s_node));
    }

    [Fact]
    public void EmptyDir_MemoryMedium_IsUnderDevShmPerNodeAndPod()
    {
        var volume = new Volume { Name = "scratch", EmptyDir = new EmptyDirVolumeSource { Medium = "Memory" } };

        Assert.Equal($"/dev/shm/hostdaemons/{TestPods.Node}/u-1/scratch", PodVolumePaths.PodDirectory(Uid, volume, s_node));
    }

    [Fact]
    public void MemoryRoot_TwoAgentsOnOneHost_AreSeparate()
    {
        Assert.Equal($"/dev/shm/hostdaemons/{TestPods.Node}", PodVolumePaths.MemoryRoot(s_node));
        Assert.NotEqual(PodVolumePaths.MemoryRoot(s_node), PodVolumePaths.MemoryRoot(s_node with { NodeName = "node-b" }));
    }

    [Fact]
    public void PodDirectories_Uid_AreTheDiskAndMemoryDirectoriesOfThePod()
    {
        Assert.Equal(
            ["/var/lib/hostdaemons/test/pods/u-1", $"/dev/shm/hostdaemons/{TestPods.Node}/u-1"],
            PodVolumePaths.PodDirectories(Uid, s_node));
    }

    [Fact]
    public void For_NodeNameOnly_UsesTheDefaultVolumeRootNoAddressAndNoLogLimits()
    {
        Assert.Equal(new NodeContext("node-z", "", "/var/lib/hostdaemons/agent/pods", null), NodeContext.For("node-z"));
    }
}
