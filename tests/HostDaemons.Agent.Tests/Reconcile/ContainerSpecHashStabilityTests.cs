using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>
/// The spec hash of containers that use none of the newer fields is pinned: an agent upgrade adopts every running
/// container, so these values must never change. A change here restarts every daemon on every upgraded host.
/// </summary>
public sealed class ContainerSpecHashStabilityTests
{
    private static readonly NodeContext s_node = new(TestPods.Node, "192.0.2.10", "/var/lib/hostdaemons/agent/pods", new ContainerLogLimits("10m", 3));

    [Fact]
    public void Hash_MinimalPod_IsPinned()
    {
        Assert.Equal("g85jnx6wjz", Hash(TestPods.Pod()));
    }

    [Fact]
    public void Hash_PodUsingEveryEarlierField_IsPinned()
    {
        Assert.Equal("zp9pfk8t99", Hash(FullPod(hostNetwork: false)));
    }

    [Fact]
    public void Hash_HostNetworkPodWithPodIpAndHostIp_IsPinned()
    {
        Assert.Equal("l99f2mmzv7", Hash(FullPod(hostNetwork: true)));
    }

    private static string Hash(Pod pod) => ContainerSpecBuilder.Build(pod, s_node).Containers[0].SpecHash;

    /// <summary>Every container field the agent mapped before ConfigMaps, Secrets and termination messages.</summary>
    internal static Pod FullPod(bool hostNetwork)
    {
        var container = TestPods.Container();
        container.Command.AddRange(["/bin/sh", "-c"]);
        container.Args.AddRange(["exec run --node=$(NODE) --ip=$(POD_IP)", "$$(KEEP)"]);
        container.WorkingDir = "/work";
        container.Env.Add(new EnvVar { Name = "LEVEL", Value = "info" });
        container.Env.Add(Field("NODE", "spec.nodeName"));
        container.Env.Add(Field("POD_IP", "status.podIP"));
        container.Env.Add(Field("HOST_IP", "status.hostIP"));
        container.Env.Add(Field("NAME", "metadata.name"));
        container.Env.Add(new EnvVar { Name = "TAG", Value = "$(NAME)-$(LEVEL)" });
        container.Resources = new ResourceRequirements
        {
            Limits = { ["cpu"] = "500m", ["memory"] = "256Mi" },
            Requests = { ["cpu"] = "250m", ["memory"] = "128Mi" },
        };
        container.Ports.Add(new ContainerPort { Name = "http", ContainerPort_ = 8080, Protocol = "TCP" });
        container.SecurityContext = new SecurityContext
        {
            ReadOnlyRootFilesystem = true,
            RunAsUser = 1000,
            RunAsGroup = 2000,
            Capabilities = new Capabilities { Add = { "NET_ADMIN" }, Drop = { "ALL" } },
        };
        container.VolumeMounts.Add(new VolumeMount { Name = "varlog", MountPath = "/var/log", ReadOnly = true });
        container.VolumeMounts.Add(new VolumeMount { Name = "data", MountPath = "/data", SubPath = "state" });
        container.VolumeMounts.Add(new VolumeMount { Name = "cache", MountPath = "/cache" });
        var pod = TestPods.Pod(containers: container);
        pod.Spec.HostNetwork = hostNetwork;
        pod.Spec.HostPid = true;
        pod.Spec.TerminationGracePeriodSeconds = 10;
        pod.Spec.Volumes.Add(new Volume { Name = "varlog", HostPath = new HostPathVolumeSource { Path = "/var/log", Type = "Directory" } });
        pod.Spec.Volumes.Add(new Volume { Name = "data", EmptyDir = new EmptyDirVolumeSource() });
        pod.Spec.Volumes.Add(new Volume { Name = "cache", EmptyDir = new EmptyDirVolumeSource { Medium = "Memory" } });
        pod.Spec.SecurityContext = new PodSecurityContext { SupplementalGroups = { 30 } };
        pod.Spec.DnsConfig = new PodDNSConfig { Nameservers = { "192.0.2.53" }, Searches = { "example.com" }, Options = { new PodDNSConfigOption { Name = "ndots", Value = "2" } } };
        return pod;
    }

    private static EnvVar Field(string name, string path) =>
        new() { Name = name, ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { ApiVersion = "v1", FieldPath = path } } };
}
