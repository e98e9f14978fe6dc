using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>
/// The spec hash decides whether a running container is adopted or replaced, so an agent upgrade must give every
/// container that uses none of the newer pod fields exactly the hash the previous version gave it. These values were
/// taken from the agent before the pod network, init containers, lifecycle hooks and the security options existed.
/// </summary>
public sealed class ContainerSpecBuilderHashTests
{
    private static readonly NodeContext s_node = new(TestPods.Node, "192.0.2.10", "/var/lib/hostdaemons/agent/pods", null);

    [Fact]
    public void Hash_PlainPod_IsThePreviousVersionsHash()
    {
        var pod = TestPods.Pod(containers: TestPods.Container());

        Assert.Equal("g85jnx6wjz", ContainerSpecBuilder.Build(pod, s_node).Containers[0].SpecHash);
    }

    [Fact]
    public void Hash_PodUsingEveryOlderField_IsThePreviousVersionsHash()
    {
        Assert.Equal("zmc8scbw6l", ContainerSpecBuilder.Build(RichPod(), s_node).Containers[0].SpecHash);
    }

    [Fact]
    public void Hash_ContainersOfASandboxedPod_AreThePreviousVersionsHashes()
    {
        var pod = TestPods.Pod(containers: [TestPods.Container("a"), TestPods.Container("b", "busybox:latest")]);
        pod.Spec.DnsConfig = new PodDNSConfig { Nameservers = { "192.0.2.53" } };

        var hashes = ContainerSpecBuilder.Build(pod, s_node).Containers.Select(c => c.SpecHash);

        Assert.Equal(["w9mkpxqg49", "8smmz2xhlp"], hashes);
    }

    [Fact]
    public void Hash_HostNetworkPodWithHostPortAndPodIpEnv_IsThePreviousVersionsHash()
    {
        var container = TestPods.Container();
        container.Ports.Add(new ContainerPort { ContainerPort_ = 9100, HostPort = 9100 });
        container.Env.Add(new EnvVar { Name = "POD_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } });
        var pod = TestPods.Pod(containers: container);
        pod.Spec.HostNetwork = true;
        pod.Spec.HostPid = true;

        Assert.Equal("p7kpcvcrkd", ContainerSpecBuilder.Build(pod, s_node).Containers[0].SpecHash);
    }

    /// <summary>Every field the agent mapped before issue 13: command, args, env (values and field refs), mounts, limits, requests, ports, security, DNS.</summary>
    private static Pod RichPod()
    {
        var container = TestPods.Container();
        container.Command.AddRange(["/bin/sh", "-c"]);
        container.Args.Add("exec fluentd -c $(CONF)");
        container.WorkingDir = "/work";
        container.Env.Add(new EnvVar { Name = "CONF", Value = "/etc/fluent.conf" });
        container.Env.Add(new EnvVar { Name = "NODE", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "spec.nodeName" } } });
        container.Env.Add(new EnvVar { Name = "POD_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } });
        container.Ports.Add(new ContainerPort { Name = "http", ContainerPort_ = 8080 });
        container.Ports.Add(new ContainerPort { ContainerPort_ = 5353, Protocol = "UDP" });
        container.Resources = new ResourceRequirements
        {
            Limits = { ["cpu"] = "500m", ["memory"] = "64Mi" },
            Requests = { ["cpu"] = "250m", ["memory"] = "32Mi" },
        };
        container.SecurityContext = new SecurityContext
        {
            Privileged = false,
            ReadOnlyRootFilesystem = true,
            RunAsUser = 1000,
            RunAsGroup = 2000,
            Capabilities = new Capabilities { Add = { "NET_ADMIN" }, Drop = { "MKNOD" } },
        };
        container.VolumeMounts.Add(new VolumeMount { Name = "logs", MountPath = "/var/log", ReadOnly = true });
        container.VolumeMounts.Add(new VolumeMount { Name = "data", MountPath = "/data", SubPath = "state" });
        var pod = TestPods.Pod(containers: container);
        pod.Spec.Volumes.Add(new Volume { Name = "logs", HostPath = new HostPathVolumeSource { Path = "/var/log" } });
        pod.Spec.Volumes.Add(new Volume { Name = "data", EmptyDir = new EmptyDirVolumeSource() });
        pod.Spec.SecurityContext = new PodSecurityContext { SupplementalGroups = { 30 } };
        pod.Spec.DnsConfig = new PodDNSConfig
        {
            Nameservers = { "192.0.2.53" },
            Searches = { "example.com" },
            Options = { new PodDNSConfigOption { Name = "ndots", Value = "2" } },
        };
        return pod;
    }
}
