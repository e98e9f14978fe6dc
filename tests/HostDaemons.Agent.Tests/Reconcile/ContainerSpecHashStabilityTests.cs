using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>
/// The spec hash of containers that use none of the newer fields is pinned: an agent upgrade adopts every running
/// container, so these values must never change. A change here restarts every daemon on every upgraded host. The
/// values were taken from the agent before issue 13 (pod networks, init containers, hooks, security options, ConfigMaps
/// and Secrets, termination messages).
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

    [Fact]
    public void Hash_AnotherPodUsingEveryEarlierField_IsPinned()
    {
        Assert.Equal("zmc8scbw6l", Hash(RichPod()));
    }

    [Fact]
    public void Hash_ContainersOfASandboxedPod_ArePinned()
    {
        var pod = TestPods.Pod(containers: [TestPods.Container("a"), TestPods.Container("b", "busybox:latest")]);
        pod.Spec.DnsConfig = new PodDNSConfig { Nameservers = { "192.0.2.53" } };

        var hashes = ContainerSpecBuilder.Build(pod, s_node).Containers.Select(c => c.SpecHash);

        Assert.Equal(["w9mkpxqg49", "8smmz2xhlp"], hashes);
    }

    [Fact]
    public void Hash_HostNetworkPodWithHostPortAndPodIpEnv_IsPinned()
    {
        var container = TestPods.Container();
        container.Ports.Add(new ContainerPort { ContainerPort_ = 9100, HostPort = 9100 });
        container.Env.Add(new EnvVar { Name = "POD_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } });
        var pod = TestPods.Pod(containers: container);
        pod.Spec.HostNetwork = true;
        pod.Spec.HostPid = true;

        Assert.Equal("p7kpcvcrkd", Hash(pod));
    }

    [Theory]
    [InlineData("/dev/termination-log", "File")]
    [InlineData("/dev/termination-log", "FallbackToLogsOnError")]
    [InlineData("/var/run/last-words", "")]
    public void Hash_TerminationMessageSettings_AreNotPartOfIt(string path, string policy)
    {
        // Defaulted by newer control planes on pods that ran before: their containers must be adopted as they are.
        var pod = FullPod(hostNetwork: false);
        pod.Spec.Containers[0].TerminationMessagePath = path;
        pod.Spec.Containers[0].TerminationMessagePolicy = policy;

        Assert.Equal("zp9pfk8t99", Hash(pod));
    }

    [Fact]
    public void Hash_ValuesOfReferencedObjects_NeverInIt_TheirReferencesAre()
    {
        Pod With(string key, string envFromPrefix)
        {
            var pod = FullPod(hostNetwork: false);
            var container = pod.Spec.Containers[0];
            container.Env.Add(new EnvVar { Name = "TOKEN", ValueFrom = new EnvVarSource { SecretKeyRef = new SecretKeySelector { Name = "creds", Key = key } } });
            container.EnvFrom.Add(new EnvFromSource { ConfigMapRef = new ConfigMapEnvSource { Name = "settings" }, Prefix = envFromPrefix });
            return pod;
        }

        var hash = Hash(With("token", ""));

        Assert.NotEqual("zp9pfk8t99", hash);
        Assert.Equal(hash, Hash(With("token", "")));
        Assert.NotEqual(hash, Hash(With("other-key", "")));
        Assert.NotEqual(hash, Hash(With("token", "APP_")));
    }

    [Fact]
    public void Build_ProjectedVolumeMounts_AreReadOnlyBindsOfThePodsDirectories()
    {
        var container = TestPods.Container();
        container.VolumeMounts.Add(new VolumeMount { Name = "config", MountPath = "/etc/app" });
        container.VolumeMounts.Add(new VolumeMount { Name = "token", MountPath = "/var/run/token", SubPath = "token" });
        container.VolumeMounts.Add(new VolumeMount { Name = "podinfo", MountPath = "/etc/podinfo" });
        var pod = TestPods.Pod(uid: "u-1", containers: container);
        pod.Spec.Volumes.Add(new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "app" } });
        pod.Spec.Volumes.Add(new Volume { Name = "token", Secret = new SecretVolumeSource { SecretName = "t" } });
        pod.Spec.Volumes.Add(new Volume { Name = "podinfo", DownwardApi = new DownwardAPIVolumeSource() });

        var binds = ContainerSpecBuilder.Build(pod, s_node).Containers[0].Launch.Binds;

        Assert.Equal(
            [
                new BindMount("/var/lib/hostdaemons/agent/pods/u-1/volumes/config", "/etc/app", ReadOnly: true),
                new BindMount($"/dev/shm/hostdaemons/{TestPods.Node}/u-1/token/token", "/var/run/token", ReadOnly: true),
                new BindMount("/var/lib/hostdaemons/agent/pods/u-1/volumes/podinfo", "/etc/podinfo", ReadOnly: true),
            ],
            binds);
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

    /// <summary>The earlier fields again, written otherwise: a UDP port, a read-only hostPath without a type, no grace period.</summary>
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

    private static EnvVar Field(string name, string path) =>
        new() { Name = name, ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { ApiVersion = "v1", FieldPath = path } } };
}
