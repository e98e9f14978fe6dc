using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Reconcile;

public sealed class ContainerSpecBuilderTests
{
    [Fact]
    public void Build_CommandAndArgs_MapToEntrypointAndArguments()
    {
        var container = TestPods.Container();
        container.Command.AddRange(["/bin/sh", "-c"]);
        container.Args.AddRange(["exec fluentd", "-v"]);
        container.WorkingDir = "/work";

        var launch = Launch(container);

        Assert.Equal(["/bin/sh", "-c"], launch.Entrypoint);
        Assert.Equal(["exec fluentd", "-v"], launch.Arguments);
        Assert.Equal("/work", launch.WorkingDirectory);
        Assert.Equal(TestPods.Image, launch.Image);
    }

    [Fact]
    public void Build_NoCommandArgsOrWorkingDir_LeavesImageDefaults()
    {
        var launch = Launch(TestPods.Container());

        Assert.Null(launch.Entrypoint);
        Assert.Null(launch.Arguments);
        Assert.Null(launch.WorkingDirectory);
        Assert.Empty(launch.Environment);
        Assert.Empty(launch.Binds);
        Assert.Null(launch.MemoryLimitBytes);
        Assert.Null(launch.NanoCpus);
        Assert.Null(launch.CpuShares);
        Assert.Equal("", launch.Name);
    }

    [Fact]
    public void Build_ArgsWithoutCommand_KeepsImageEntrypoint()
    {
        var container = TestPods.Container();
        container.Args.Add("--config=/etc/fluent.conf");

        var launch = Launch(container);

        Assert.Null(launch.Entrypoint);
        Assert.Equal(["--config=/etc/fluent.conf"], launch.Arguments);
    }

    [Fact]
    public void Build_Env_KeepsPodOrderAsNameEqualsValue()
    {
        var container = TestPods.Container();
        container.Env.Add(new EnvVar { Name = "Z_LAST", Value = "1" });
        container.Env.Add(new EnvVar { Name = "A_FIRST", Value = "a=b c" });
        container.Env.Add(new EnvVar { Name = "EMPTY", Value = "" });

        var launch = Launch(container);

        Assert.Equal(["Z_LAST=1", "A_FIRST=a=b c", "EMPTY="], launch.Environment);
    }

    [Fact]
    public void Build_HostPathVolumes_BecomeBindsWithReadOnly()
    {
        var container = TestPods.Container();
        container.VolumeMounts.Add(new VolumeMount { Name = "varlog", MountPath = "/var/log" });
        container.VolumeMounts.Add(new VolumeMount { Name = "containers", MountPath = "/var/lib/docker/containers", ReadOnly = true });
        container.VolumeMounts.Add(new VolumeMount { Name = "undeclared", MountPath = "/nowhere" });
        container.VolumeMounts.Add(new VolumeMount { Name = "no-host-path", MountPath = "/empty" });
        var pod = TestPods.Pod(containers: container);
        pod.Spec.Volumes.Add(new Volume { Name = "containers", HostPath = new HostPathVolumeSource { Path = "/var/lib/docker/containers" } });
        pod.Spec.Volumes.Add(new Volume { Name = "varlog", HostPath = new HostPathVolumeSource { Path = "/var/log", Type = "Directory" } });
        pod.Spec.Volumes.Add(new Volume { Name = "no-host-path" });

        var launch = Build(pod).Containers[0].Launch;

        Assert.Equal(
            [new BindMount("/var/log", "/var/log", false), new BindMount("/var/lib/docker/containers", "/var/lib/docker/containers", true)],
            launch.Binds);
    }

    [Theory]
    [InlineData("200Mi", 209_715_200L)]
    [InlineData("1Gi", 1_073_741_824L)]
    [InlineData("128M", 128_000_000L)]
    [InlineData("1000", 1000L)]
    public void Build_MemoryLimit_ConvertedToBytes(string quantity, long expected)
    {
        var container = TestPods.Container();
        container.Resources = new ResourceRequirements { Limits = { ["memory"] = quantity } };

        Assert.Equal(expected, Launch(container).MemoryLimitBytes);
    }

    [Theory]
    [InlineData("100m", 100_000_000L)]
    [InlineData("1", 1_000_000_000L)]
    [InlineData("0.5", 500_000_000L)]
    [InlineData("2500m", 2_500_000_000L)]
    public void Build_CpuLimit_ConvertedToNanoCpus(string quantity, long expected)
    {
        var container = TestPods.Container();
        container.Resources = new ResourceRequirements { Limits = { ["cpu"] = quantity } };

        Assert.Equal(expected, Launch(container).NanoCpus);
    }

    [Theory]
    [InlineData("250m", 256L)]
    [InlineData("1", 1024L)]
    [InlineData("100m", 102L)]
    [InlineData("1m", 2L)]
    public void Build_CpuRequest_ConvertedToCpuShares(string quantity, long expected)
    {
        var container = TestPods.Container();
        container.Resources = new ResourceRequirements { Requests = { ["cpu"] = quantity } };

        var launch = Launch(container);

        Assert.Equal(expected, launch.CpuShares);
        Assert.Null(launch.NanoCpus);
    }

    [Fact]
    public void Build_MemoryRequestOnly_SetsNoLimit()
    {
        var container = TestPods.Container();
        container.Resources = new ResourceRequirements { Requests = { ["memory"] = "64Mi" } };

        Assert.Null(Launch(container).MemoryLimitBytes);
    }

    [Fact]
    public void Build_InvalidQuantity_IsIgnored()
    {
        var container = TestPods.Container();
        container.Resources = new ResourceRequirements { Limits = { ["memory"] = "lots", ["cpu"] = "" } };

        var launch = Launch(container);

        Assert.Null(launch.MemoryLimitBytes);
        Assert.Null(launch.NanoCpus);
    }

    [Theory]
    [InlineData(true, "host")]
    [InlineData(false, "none")]
    public void Build_HostNetwork_SelectsNetworkMode(bool hostNetwork, string expected)
    {
        var pod = TestPods.Pod();
        pod.Spec.HostNetwork = hostNetwork;

        Assert.Equal(expected, Build(pod).Containers[0].Launch.NetworkMode);
    }

    [Fact]
    public void Build_Labels_NameNodePodContainerOwnerAndHash()
    {
        var pod = TestPods.Pod(name: "fluentd-abcde", uid: "uid-123", TestPods.Container("main"), TestPods.Container("sidecar"));

        var desired = Build(pod);

        Assert.Equal("DaemonSet/fluentd", desired.Owner);
        Assert.Equal("uid-123", desired.Uid);
        Assert.Equal(2, desired.Containers.Count);
        var sidecar = desired.Containers[1];
        Assert.Equal("sidecar", sidecar.Container.Name);
        Assert.Same(pod, sidecar.Pod);
        Assert.Equal(
            new Dictionary<string, string>
            {
                [ContainerLabels.Node] = TestPods.Node,
                [ContainerLabels.Namespace] = TestPods.Namespace,
                [ContainerLabels.Pod] = "fluentd-abcde",
                [ContainerLabels.PodUid] = "uid-123",
                [ContainerLabels.Container] = "sidecar",
                [ContainerLabels.Owner] = "DaemonSet/fluentd",
                [ContainerLabels.SpecHash] = sidecar.SpecHash,
                [ContainerLabels.GracePeriod] = "30",
            },
            sidecar.Launch.Labels);
        Assert.Equal(10, sidecar.SpecHash.Length);
    }

    [Fact]
    public void Build_LabelNames_MatchProductContract()
    {
        Assert.Equal(
            ["io.hostdaemons.node", "io.hostdaemons.namespace", "io.hostdaemons.pod", "io.hostdaemons.pod-uid", "io.hostdaemons.container", "io.hostdaemons.owner", "io.hostdaemons.spec-hash"],
            new[] { ContainerLabels.Node, ContainerLabels.Namespace, ContainerLabels.Pod, ContainerLabels.PodUid, ContainerLabels.Container, ContainerLabels.Owner, ContainerLabels.SpecHash });
    }

    [Fact]
    public void Build_TerminationGracePeriod_WrittenToGraceLabel()
    {
        var pod = TestPods.Pod();
        pod.Spec.TerminationGracePeriodSeconds = 90;

        Assert.Equal("90", Build(pod).Containers[0].Launch.Labels[ContainerLabels.GracePeriod]);
    }

    [Fact]
    public void Build_NoOwnerReference_OwnerIsStatic()
    {
        var pod = TestPods.Pod();
        pod.Metadata.OwnerReferences.Clear();

        var desired = Build(pod);

        Assert.Equal("static", desired.Owner);
        Assert.Equal("static", desired.Containers[0].Launch.Labels[ContainerLabels.Owner]);
    }

    [Fact]
    public void Build_OwnerReferenceNotController_OwnerIsStatic()
    {
        var pod = TestPods.Pod();
        pod.Metadata.OwnerReferences[0].Controller = false;

        Assert.Equal("static", Build(pod).Owner);
    }

    [Fact]
    public void Build_SeveralOwnerReferences_UsesTheController()
    {
        var pod = TestPods.Pod();
        pod.Metadata.OwnerReferences.Insert(0, new OwnerReference { Kind = "Node", Name = "node-a" });
        pod.Metadata.OwnerReferences[1].Name = "node-exporter";

        Assert.Equal("DaemonSet/node-exporter", Build(pod).Owner);
    }

    [Fact]
    public void Build_SameSpecTwice_SameHash()
    {
        var first = Build(RichPod());
        var second = Build(RichPod());

        Assert.Equal(first.Containers[0].SpecHash, second.Containers[0].SpecHash);
    }

    [Fact]
    public void Build_MetadataOnlyChanges_KeepHash()
    {
        var original = Build(RichPod()).Containers[0].SpecHash;
        var pod = RichPod();
        pod.Metadata.Name = "renamed";
        pod.Metadata.Uid = "another-uid";
        pod.Metadata.ResourceVersion = "99";
        pod.Metadata.Labels["tier"] = "logging";
        pod.Metadata.OwnerReferences.Clear();
        pod.Spec.TerminationGracePeriodSeconds = 120;
        pod.Spec.Containers[0].ImagePullPolicy = "Always";

        Assert.Equal(original, Build(pod, "node-b").Containers[0].SpecHash);
    }

    public static TheoryData<string> SpecChanges => new()
    {
        "image",
        "env value",
        "env order",
        "command",
        "args",
        "working dir",
        "bind path",
        "bind read-only",
        "memory",
        "cpu limit",
        "cpu request",
        "host network",
    };

    [Theory]
    [MemberData(nameof(SpecChanges))]
    public void Build_SpecChange_ChangesHash(string change)
    {
        var original = Build(RichPod()).Containers[0].SpecHash;
        var pod = RichPod();
        var container = pod.Spec.Containers[0];
        switch (change)
        {
            case "image":
                container.Image = "registry.local/fluentd:1.17";
                break;
            case "env value":
                container.Env[0].Value = "debug";
                break;
            case "env order":
                (container.Env[0], container.Env[1]) = (container.Env[1], container.Env[0]);
                break;
            case "command":
                container.Command[0] = "/bin/bash";
                break;
            case "args":
                container.Args.Add("--verbose");
                break;
            case "working dir":
                container.WorkingDir = "/srv";
                break;
            case "bind path":
                pod.Spec.Volumes[0].HostPath.Path = "/var/log/other";
                break;
            case "bind read-only":
                container.VolumeMounts[0].ReadOnly = true;
                break;
            case "memory":
                container.Resources.Limits["memory"] = "256Mi";
                break;
            case "cpu limit":
                container.Resources.Limits["cpu"] = "200m";
                break;
            case "cpu request":
                container.Resources.Requests["cpu"] = "500m";
                break;
            case "host network":
                pod.Spec.HostNetwork = true;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }

        Assert.NotEqual(original, Build(pod).Containers[0].SpecHash);
    }

    [Fact]
    public void Build_EnvValueContainingSeparator_DoesNotCollideWithTwoVariables()
    {
        var one = TestPods.Container();
        one.Env.Add(new EnvVar { Name = "A", Value = "1" });
        one.Env.Add(new EnvVar { Name = "B", Value = "2" });
        var other = TestPods.Container();
        other.Env.Add(new EnvVar { Name = "A", Value = "12:B=2" });

        Assert.NotEqual(Build(TestPods.Pod(containers: one)).Containers[0].SpecHash, Build(TestPods.Pod(containers: other)).Containers[0].SpecHash);
    }

    [Fact]
    public void Build_ContainersOfOnePod_HashIndependently()
    {
        var pod = TestPods.Pod(containers: [TestPods.Container("a"), TestPods.Container("b", "busybox:1.36")]);
        var before = Build(pod);
        pod.Spec.Containers[1].Image = "busybox:1.37";

        var after = Build(pod);

        Assert.Equal(before.Containers[0].SpecHash, after.Containers[0].SpecHash);
        Assert.NotEqual(before.Containers[1].SpecHash, after.Containers[1].SpecHash);
    }

    [Fact]
    public void ContainerName_JoinsContainerPodNamespaceShortUidAndAttempt()
    {
        var pod = TestPods.Pod(name: "fluentd-x7k2p", uid: "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", TestPods.Container("shipper"));
        var container = Build(pod).Containers[0];

        Assert.Equal("hd_shipper_fluentd-x7k2p_kube-system_5f0c1a2b_0", ContainerSpecBuilder.ContainerName(container, 0));
        Assert.Equal("hd_shipper_fluentd-x7k2p_kube-system_5f0c1a2b_12", ContainerSpecBuilder.ContainerName(container, 12));
    }

    [Fact]
    public void ContainerName_ShortUid_UsesWholeUid()
    {
        var container = Build(TestPods.Pod(name: "static-web", uid: "abc")).Containers[0];

        Assert.Equal("hd_main_static-web_kube-system_abc_3", ContainerSpecBuilder.ContainerName(container, 3));
    }

    [Fact]
    public void DesiredPod_GracePeriodAndTerminating_FollowMetadata()
    {
        var pod = TestPods.Pod();
        Assert.False(Build(pod).IsTerminating);
        Assert.Equal(TimeSpan.FromSeconds(30), Build(pod).GracePeriod);

        pod.Spec.TerminationGracePeriodSeconds = 5;
        Assert.Equal(TimeSpan.FromSeconds(5), Build(pod).GracePeriod);

        var terminating = Build(TestPods.Terminating(pod, gracePeriodSeconds: 3));
        Assert.True(terminating.IsTerminating);
        Assert.Equal(TimeSpan.FromSeconds(3), terminating.GracePeriod);
    }

    private static DesiredPod Build(Pod pod, string node = TestPods.Node) => ContainerSpecBuilder.Build(pod, node);

    private static ContainerLaunchSpec Launch(Container container) => Build(TestPods.Pod(containers: container)).Containers[0].Launch;

    private static Pod RichPod()
    {
        var container = TestPods.Container();
        container.Command.AddRange(["/bin/sh", "-c"]);
        container.Args.Add("exec fluentd");
        container.WorkingDir = "/fluentd";
        container.Env.Add(new EnvVar { Name = "LEVEL", Value = "info" });
        container.Env.Add(new EnvVar { Name = "TARGET", Value = "es:9200" });
        container.VolumeMounts.Add(new VolumeMount { Name = "varlog", MountPath = "/var/log" });
        container.Resources = new ResourceRequirements
        {
            Limits = { ["memory"] = "200Mi", ["cpu"] = "100m" },
            Requests = { ["cpu"] = "50m" },
        };
        var pod = TestPods.Pod(containers: container);
        pod.Spec.Volumes.Add(new Volume { Name = "varlog", HostPath = new HostPathVolumeSource { Path = "/var/log" } });
        return pod;
    }
}
