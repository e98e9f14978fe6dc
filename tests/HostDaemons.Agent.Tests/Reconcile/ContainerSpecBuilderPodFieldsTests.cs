using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Lifecycle;
using HostDaemons.Agent.Network;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>
/// The pod fields of issue 13 on Docker: each security option to its Docker field (container level winning over the
/// pod's), hostIPC, sysctls, mount propagation, hostAliases, hostPorts on the sandbox, shareProcessNamespace, the pod IP
/// at creation, init containers and the preStop label, and a hash that changes only when a new field is set.
/// </summary>
public sealed class ContainerSpecBuilderPodFieldsTests
{
    private static readonly NodeContext s_node = new(TestPods.Node, "192.0.2.10", "/var/lib/hostdaemons/agent/pods", null, SeccompProfileRoot: "/etc/hd/seccomp");

    [Theory]
    [InlineData("RuntimeDefault", null, new string[0], null)]
    [InlineData("Unconfined", null, new[] { "seccomp=unconfined" }, null)]
    [InlineData("Localhost", "profiles/audit.json", new string[0], "/etc/hd/seccomp/profiles/audit.json")]
    public void Build_SeccompProfile_MapsToDockersSeccompOption(string type, string? localhost, string[] options, string? file)
    {
        var pod = TestPods.Pod();
        pod.Spec.SecurityContext = new PodSecurityContext { SeccompProfile = Seccomp(type, localhost) };

        var launch = Launch(pod);

        Assert.Equal(options, launch.SecurityOptions);
        Assert.Equal(file, launch.SeccompProfileFile);
    }

    [Fact]
    public void Build_SeccompOnPodAndContainer_ContainerWins()
    {
        var pod = TestPods.Pod();
        pod.Spec.SecurityContext = new PodSecurityContext { SeccompProfile = Seccomp("Localhost", "pod.json") };
        pod.Spec.Containers[0].SecurityContext = new SecurityContext { SeccompProfile = Seccomp("Unconfined", null) };

        var launch = Launch(pod);

        Assert.Equal(["seccomp=unconfined"], launch.SecurityOptions);
        Assert.Null(launch.SeccompProfileFile);
    }

    [Theory]
    [InlineData("RuntimeDefault", null, new string[0])]
    [InlineData("Unconfined", null, new[] { "apparmor=unconfined" })]
    [InlineData("Localhost", "k8s-apparmor-example", new[] { "apparmor=k8s-apparmor-example" })]
    public void Build_AppArmorProfile_MapsToDockersAppArmorOption(string type, string? localhost, string[] options)
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].SecurityContext = new SecurityContext { AppArmorProfile = new AppArmorProfile { Type = type } };
        if (localhost is not null)
        {
            pod.Spec.Containers[0].SecurityContext.AppArmorProfile.LocalhostProfile = localhost;
        }

        Assert.Equal(options, Launch(pod).SecurityOptions);
    }

    [Theory]
    [InlineData(false, new[] { "no-new-privileges" })]
    [InlineData(true, new string[0])]
    public void Build_AllowPrivilegeEscalation_FalseIsNoNewPrivileges(bool allow, string[] options)
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].SecurityContext = new SecurityContext { AllowPrivilegeEscalation = allow };

        Assert.Equal(options, Launch(pod).SecurityOptions);
    }

    [Theory]
    [InlineData("Unmasked", new[] { "systempaths=unconfined" })]
    [InlineData("Default", new string[0])]
    public void Build_ProcMount_UnmaskedLiftsDockersMaskedPaths(string procMount, string[] options)
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].SecurityContext = new SecurityContext { ProcMount = procMount };

        Assert.Equal(options, Launch(pod).SecurityOptions);
    }

    [Fact]
    public void Build_HostIpc_IpcModeHost()
    {
        var pod = TestPods.Pod();
        pod.Spec.HostIpc = true;

        Assert.Equal("host", Launch(pod).IpcMode);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("None", "")]
    [InlineData("HostToContainer", "rslave")]
    [InlineData("Bidirectional", "rshared")]
    public void Build_MountPropagation_MapsToTheBindsPropagation(string propagation, string expected)
    {
        var pod = TestPods.Pod();
        pod.Spec.Volumes.Add(new Volume { Name = "root", HostPath = new HostPathVolumeSource { Path = "/" } });
        pod.Spec.Containers[0].VolumeMounts.Add(new VolumeMount { Name = "root", MountPath = "/host", ReadOnly = true, MountPropagation = propagation });

        Assert.Equal(new BindMount("/", "/host", true, expected), Assert.Single(Launch(pod).Binds));
    }

    [Fact]
    public void Build_SingleContainerOnNetworkNone_SysctlsAndHostAliasesOnTheContainer()
    {
        var pod = TestPods.Pod();
        pod.Spec.SecurityContext = new PodSecurityContext { Sysctls = { new Sysctl { Name = "net.core.somaxconn", Value = "1024" }, new Sysctl { Name = "kernel.shm_rmid_forced", Value = "1" } } };
        pod.Spec.HostAliases.Add(new HostAlias { Ip = "192.0.2.7", Hostnames = { "a.test", "b.test" } });

        var desired = ContainerSpecBuilder.Build(pod, s_node);

        Assert.False(desired.NeedsSandbox);
        var launch = desired.Containers[0].Launch;
        Assert.Equal(new Dictionary<string, string> { ["net.core.somaxconn"] = "1024", ["kernel.shm_rmid_forced"] = "1" }, launch.Sysctls);
        Assert.Equal(["a.test:192.0.2.7", "b.test:192.0.2.7"], launch.ExtraHosts);
    }

    [Fact]
    public void Build_PodWithSandbox_NetSysctlsHostAliasesAndHostPortsOnTheSandbox()
    {
        var pod = TestPods.Pod();
        pod.Spec.SecurityContext = new PodSecurityContext { Sysctls = { new Sysctl { Name = "net.core.somaxconn", Value = "1024" }, new Sysctl { Name = "kernel.shm_rmid_forced", Value = "1" } } };
        pod.Spec.HostAliases.Add(new HostAlias { Ip = "192.0.2.7", Hostnames = { "a.test" } });
        pod.Spec.Containers[0].Ports.Add(new ContainerPort { ContainerPort_ = 8080, HostPort = 18080, HostIp = "127.0.0.1" });
        pod.Spec.Containers[0].Ports.Add(new ContainerPort { ContainerPort_ = 53, HostPort = 1053, Protocol = "UDP" });

        var desired = ContainerSpecBuilder.Build(pod, OnNetwork("hd-pods"));

        var sandbox = desired.Sandbox!;
        Assert.Equal(new Dictionary<string, string> { ["net.core.somaxconn"] = "1024" }, sandbox.Sysctls);
        Assert.Equal(["a.test:192.0.2.7"], sandbox.ExtraHosts);
        Assert.Equal([new PublishedPort(8080, "tcp", 18080, "127.0.0.1"), new PublishedPort(53, "udp", 1053)], sandbox.PublishedPorts);
        Assert.Equal(["8080/tcp", "53/udp"], sandbox.ExposedPorts);
        Assert.True(sandbox.Labels.ContainsKey(ContainerLabels.SandboxSettings));
        var joined = desired.Containers[0].Launch;
        Assert.Equal(new Dictionary<string, string> { ["kernel.shm_rmid_forced"] = "1" }, joined.Sysctls);
        Assert.Empty(joined.ExtraHosts);
        Assert.Empty(joined.ExposedPorts);
    }

    [Fact]
    public void Build_HostPortsOnNetworkNone_NotPublished()
    {
        var pod = TestPods.Pod(containers: [TestPods.Container("a"), TestPods.Container("b")]);
        pod.Spec.Containers[0].Ports.Add(new ContainerPort { ContainerPort_ = 8080, HostPort = 18080 });

        var sandbox = ContainerSpecBuilder.Build(pod, s_node).Sandbox!;

        Assert.Empty(sandbox.PublishedPorts);
        Assert.Equal(PodNetwork.None, sandbox.NetworkMode);
    }

    [Fact]
    public void Build_ShareProcessNamespace_SandboxEvenForOneContainerAndItsPidNamespaceJoined()
    {
        var pod = TestPods.Pod();
        pod.Spec.ShareProcessNamespace = true;

        var desired = ContainerSpecBuilder.Build(pod, s_node);

        Assert.True(desired.NeedsSandbox);
        Assert.True(desired.Containers[0].SharesSandboxPid);
    }

    [Fact]
    public void Build_InitContainersAndSidecars_ResolvedInOrderWithTheirKind()
    {
        var pod = TestPods.Pod();
        var sidecar = TestPods.Container("proxy", "busybox:latest");
        sidecar.RestartPolicy = "Always";
        pod.Spec.InitContainers.Add(TestPods.Container("setup", "busybox:latest"));
        pod.Spec.InitContainers.Add(sidecar);

        var desired = ContainerSpecBuilder.Build(pod, s_node);

        Assert.Equal([("setup", ContainerKind.Init), ("proxy", ContainerKind.Sidecar)], desired.InitContainers.Select(c => (c.Container.Name, c.Kind)));
        Assert.True(desired.NeedsSandbox);
        Assert.All(desired.AllContainers, c => Assert.True(c.JoinsSandbox));
        Assert.Equal(["proxy", "main"], desired.LongRunning.Select(c => c.Container.Name));
    }

    [Fact]
    public void Resolve_EnvAndArgsReferToThePodIp_DeclaredEmptyResolvedWithTheSandboxAddress()
    {
        var pod = TestPods.Pod();
        var container = pod.Spec.Containers[0];
        container.Env.Add(new EnvVar { Name = "POD_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } });
        container.Env.Add(new EnvVar { Name = "LISTEN", Value = "$(POD_IP):8080" });
        container.Args.Add("--bind=$(POD_IP)");
        var node = OnNetwork("hd-pods");
        var desired = ContainerSpecBuilder.Build(pod, node).Containers[0];

        var resolved = EnvironmentBuilder.Resolve(pod, container, node, ReferencedObjects.None, new NodeAllocatable(2000, 4L << 30, 0), "10.231.0.5");

        Assert.True(ContainerSpecBuilder.UsesPodIp(container));
        Assert.Equal(["POD_IP=", "LISTEN=:8080"], desired.Launch.Environment);
        Assert.Equal(["POD_IP=10.231.0.5", "LISTEN=10.231.0.5:8080"], resolved.Variables);
        Assert.Equal(["--bind=10.231.0.5"], resolved.Arguments);
    }

    [Fact]
    public void Build_PreStop_KeptInALabelWithANamedPortResolved()
    {
        var pod = TestPods.Pod();
        var container = pod.Spec.Containers[0];
        container.Ports.Add(new ContainerPort { Name = "admin", ContainerPort_ = 9901 });
        container.Lifecycle = new Model.V1.Lifecycle
        {
            PreStop = new LifecycleHandler { HttpGet = new HTTPGetAction { Path = "/drain", Port = new IntOrString { StringValue = "admin" } } },
        };

        var labels = ContainerSpecBuilder.Build(pod, s_node).Containers[0].Launch.Labels;

        var handler = PreStopLabel.Read(labels);
        Assert.NotNull(handler);
        Assert.Equal(("/drain", 9901), (handler.HttpGet.Path, handler.HttpGet.Port.IntValue));
        Assert.False(labels.ContainsKey(ContainerLabels.HostNetwork));
    }

    [Fact]
    public void Build_NoLifecycle_NoPreStopLabel()
    {
        Assert.Null(PreStopLabel.Read(ContainerSpecBuilder.Build(TestPods.Pod(), s_node).Containers[0].Launch.Labels));
    }

    public static TheoryData<string> NewFields => new()
    {
        "hostIPC", "seccomp unconfined", "seccomp localhost", "apparmor", "allowPrivilegeEscalation", "procMount", "sysctl", "hostAliases", "mountPropagation",
    };

    [Theory]
    [MemberData(nameof(NewFields))]
    public void Hash_NewFieldSet_ChangesTheHash(string field)
    {
        var plain = ContainerSpecBuilder.Build(Plain(), s_node).Containers[0].SpecHash;
        var pod = Plain();
        var container = pod.Spec.Containers[0];
        container.SecurityContext = new SecurityContext();
        pod.Spec.SecurityContext = new PodSecurityContext();
        switch (field)
        {
            case "hostIPC": pod.Spec.HostIpc = true; break;
            case "seccomp unconfined": container.SecurityContext.SeccompProfile = Seccomp("Unconfined", null); break;
            case "seccomp localhost": pod.Spec.SecurityContext.SeccompProfile = Seccomp("Localhost", "a.json"); break;
            case "apparmor": container.SecurityContext.AppArmorProfile = new AppArmorProfile { Type = "Unconfined" }; break;
            case "allowPrivilegeEscalation": container.SecurityContext.AllowPrivilegeEscalation = false; break;
            case "procMount": container.SecurityContext.ProcMount = "Unmasked"; break;
            case "sysctl": pod.Spec.SecurityContext.Sysctls.Add(new Sysctl { Name = "kernel.shm_rmid_forced", Value = "1" }); break;
            case "hostAliases": pod.Spec.HostAliases.Add(new HostAlias { Ip = "192.0.2.1", Hostnames = { "x" } }); break;
            case "mountPropagation": container.VolumeMounts[0].MountPropagation = "HostToContainer"; break;
        }

        Assert.NotEqual(plain, ContainerSpecBuilder.Build(pod, s_node).Containers[0].SpecHash);
    }

    [Fact]
    public void Hash_NewFieldsAtTheirDefaults_KeepsTheHash()
    {
        var plain = ContainerSpecBuilder.Build(Plain(), s_node).Containers[0].SpecHash;
        var pod = Plain();
        pod.Spec.SecurityContext = new PodSecurityContext { RunAsNonRoot = true, SeccompProfile = Seccomp("RuntimeDefault", null) };
        pod.Spec.Containers[0].SecurityContext = new SecurityContext { AllowPrivilegeEscalation = true, ProcMount = "Default", AppArmorProfile = new AppArmorProfile { Type = "RuntimeDefault" } };
        pod.Spec.Containers[0].VolumeMounts[0].MountPropagation = "None";
        pod.Spec.Containers[0].Resources = new ResourceRequirements { Requests = { ["ephemeral-storage"] = "1Gi", ["nvidia.com/gpu"] = "1" } };
        pod.Spec.Containers[0].Lifecycle = new Model.V1.Lifecycle { PreStop = new LifecycleHandler { Sleep = new SleepAction { Seconds = 5 } } };
        pod.Spec.PriorityClassName = "system-node-critical";
        pod.Spec.Containers[0].Env.Add(new EnvVar { Name = "POD_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } });
        var withPodIp = Plain();
        withPodIp.Spec.Containers[0].Env.Add(new EnvVar { Name = "POD_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } });

        Assert.Equal(ContainerSpecBuilder.Build(withPodIp, s_node).Containers[0].SpecHash, ContainerSpecBuilder.Build(pod, s_node).Containers[0].SpecHash);
        Assert.Equal(ContainerSpecBuilder.Build(withPodIp, s_node).Containers[0].SpecHash, ContainerSpecBuilder.Build(withPodIp, OnNetwork("hd-pods")).Containers[0].SpecHash);
        Assert.NotEqual(plain, ContainerSpecBuilder.Build(withPodIp, s_node).Containers[0].SpecHash);
    }

    private static Pod Plain()
    {
        var pod = TestPods.Pod();
        pod.Spec.Volumes.Add(new Volume { Name = "logs", HostPath = new HostPathVolumeSource { Path = "/var/log" } });
        pod.Spec.Containers[0].VolumeMounts.Add(new VolumeMount { Name = "logs", MountPath = "/var/log" });
        return pod;
    }

    private static ContainerLaunchSpec Launch(Pod pod) => ContainerSpecBuilder.Build(pod, s_node).Containers[0].Launch;

    private static SeccompProfile Seccomp(string type, string? localhost)
    {
        var profile = new SeccompProfile { Type = type };
        if (localhost is not null)
        {
            profile.LocalhostProfile = localhost;
        }

        return profile;
    }

    private static NodeContext OnNetwork(string network) => s_node with { Network = new PodNetwork(network) };
}
