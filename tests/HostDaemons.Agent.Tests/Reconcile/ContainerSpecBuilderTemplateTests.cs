using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>
/// The pod template's newer fields on Docker: env expansion and field refs, ports, security context, PID namespace,
/// DNS, emptyDir and subPath binds, log limits, the spec hash, and the sandbox of multi-container pods.
/// </summary>
public sealed class ContainerSpecBuilderTemplateTests
{
    private const string HostIp = "192.0.2.10";
    private const string VolumeRoot = "/var/lib/hostdaemons/test/pods";

    private static readonly ContainerLogLimits s_logLimits = new("10m", 3);
    private static readonly NodeContext s_node = new(TestPods.Node, HostIp, VolumeRoot, s_logLimits);

    // Env

    [Fact]
    public void Build_EnvReferences_SeeOnlyEarlierVariables()
    {
        var container = TestPods.Container();
        container.Env.Add(Env("A", "1"));
        container.Env.Add(Env("B", "$(A)-x"));
        container.Env.Add(Env("C", "$(D)"));
        container.Env.Add(Env("D", "4"));
        container.Env.Add(Env("E", "$$(A) $(A)$(B)"));

        Assert.Equal(["A=1", "B=1-x", "C=$(D)", "D=4", "E=$(A) 11-x"], Launch(container).Environment);
    }

    [Fact]
    public void Build_EnvReferencingItself_SeesItsEarlierValue()
    {
        var container = TestPods.Container();
        container.Env.Add(Env("PATH_EXTRA", "/opt/bin"));
        container.Env.Add(Env("PATH_EXTRA", "$(PATH_EXTRA):/usr/local/bin"));

        Assert.Equal(["PATH_EXTRA=/opt/bin:/usr/local/bin"], Launch(container).Environment);
    }

    [Fact]
    public void Build_DuplicateEnvNames_LastWins()
    {
        var container = TestPods.Container();
        container.Env.Add(Env("A", "1"));
        container.Env.Add(Env("B", "2"));
        container.Env.Add(Env("A", "3"));

        var environment = Launch(container).Environment;

        Assert.Equal(["B=2", "A=3"], environment);
        Assert.Single(environment, e => e.StartsWith("A=", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_CommandAndArgs_ExpandWithTheFinalEnvironment()
    {
        var container = TestPods.Container();
        container.Env.Add(Env("SHELL_NAME", "sh"));
        container.Env.Add(FieldRef("NODE", "spec.nodeName"));
        container.Env.Add(Env("LEVEL", "info"));
        container.Env.Add(Env("LEVEL", "debug"));
        container.Command.AddRange(["/bin/$(SHELL_NAME)", "-c"]);
        container.Args.AddRange(["run --node=$(NODE) --level=$(LEVEL)", "$$(NODE)", "$(MISSING)", "$(LATER)"]);
        container.Env.Add(Env("LATER", "defined-after-use"));

        var launch = Launch(container);

        Assert.Equal(["/bin/sh", "-c"], launch.Entrypoint);
        Assert.Equal([$"run --node={TestPods.Node} --level=debug", "$(NODE)", "$(MISSING)", "defined-after-use"], launch.Arguments);
    }

    [Fact]
    public void Build_CommandWithoutEnv_KeepsReferencesAndUnescapesDollars()
    {
        var container = TestPods.Container();
        container.Command.AddRange(["echo", "$(HOME)", "$$HOME"]);

        Assert.Equal(["echo", "$(HOME)", "$HOME"], Launch(container).Entrypoint);
    }

    [Theory]
    [InlineData("metadata.name", "fluentd-x7k2p")]
    [InlineData("metadata.namespace", TestPods.Namespace)]
    [InlineData("metadata.uid", "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b")]
    [InlineData("spec.nodeName", TestPods.Node)]
    [InlineData("spec.serviceAccountName", "collector")]
    [InlineData("status.hostIP", HostIp)]
    public void Build_FieldRef_ResolvesFromPodAndNode(string fieldPath, string expected)
    {
        var container = TestPods.Container();
        container.Env.Add(FieldRef("VALUE", fieldPath));
        var pod = TestPods.Pod(containers: container);
        pod.Spec.ServiceAccountName = "collector";

        Assert.Equal([$"VALUE={expected}"], Build(pod).Containers[0].Launch.Environment);
    }

    [Theory]
    [InlineData(true, HostIp)]
    [InlineData(false, "")]
    public void Build_PodIpFieldRef_IsTheHostIpOnlyWithHostNetwork(bool hostNetwork, string expected)
    {
        var container = TestPods.Container();
        container.Env.Add(FieldRef("POD_IP", "status.podIP"));
        var pod = TestPods.Pod(containers: container);
        pod.Spec.HostNetwork = hostNetwork;

        Assert.Equal([$"POD_IP={expected}"], Build(pod).Containers[0].Launch.Environment);
    }

    [Fact]
    public void Build_HostIpFieldRefWithoutKnownAddress_IsEmpty()
    {
        var container = TestPods.Container();
        container.Env.Add(FieldRef("HOST_IP", "status.hostIP"));

        var launch = ContainerSpecBuilder.Build(TestPods.Pod(containers: container), TestPods.Node).Containers[0].Launch;

        Assert.Equal(["HOST_IP="], launch.Environment);
    }

    [Fact]
    public void Build_FieldRefValue_UsableInLaterValues()
    {
        var container = TestPods.Container();
        container.Env.Add(FieldRef("HOST_IP", "status.hostIP"));
        container.Env.Add(FieldRef("POD", "metadata.name"));
        container.Env.Add(Env("URL", "http://$(HOST_IP):8080/$(POD)"));

        Assert.Equal($"URL=http://{HostIp}:8080/fluentd-x7k2p", Launch(container).Environment[2]);
    }

    // Ports

    [Fact]
    public void Build_Ports_BecomeExposedPortsWithLowerCaseProtocol()
    {
        var container = TestPods.Container();
        container.Ports.Add(new ContainerPort { Name = "http", ContainerPort_ = 8080, Protocol = "TCP" });
        container.Ports.Add(new ContainerPort { Name = "dns", ContainerPort_ = 53, Protocol = "UDP" });
        container.Ports.Add(new ContainerPort { ContainerPort_ = 9999, Protocol = "SCTP" });
        container.Ports.Add(new ContainerPort { ContainerPort_ = 80 });

        Assert.Equal(["8080/tcp", "53/udp", "9999/sctp", "80/tcp"], Launch(container).ExposedPorts);
    }

    [Fact]
    public void Build_NoPorts_ExposesNothing()
    {
        Assert.Empty(Launch(TestPods.Container()).ExposedPorts);
    }

    [Fact]
    public void Build_SamePortUnderTwoNames_IsExposedOnce()
    {
        var container = TestPods.Container();
        container.Ports.Add(new ContainerPort { Name = "http", ContainerPort_ = 8080, Protocol = "TCP" });
        container.Ports.Add(new ContainerPort { Name = "metrics", ContainerPort_ = 8080, Protocol = "TCP" });

        Assert.Equal(["8080/tcp"], Launch(container).ExposedPorts);
    }

    // Security context

    [Fact]
    public void Build_SecurityContext_MapsPrivilegedCapabilitiesAndReadOnlyRoot()
    {
        var container = TestPods.Container();
        container.SecurityContext = new SecurityContext
        {
            Privileged = true,
            ReadOnlyRootFilesystem = true,
            Capabilities = new Capabilities { Add = { "NET_ADMIN", "SYS_TIME" }, Drop = { "ALL" } },
        };

        var launch = Launch(container);

        Assert.True(launch.Privileged);
        Assert.True(launch.ReadOnlyRootFilesystem);
        Assert.Equal(["NET_ADMIN", "SYS_TIME"], launch.CapAdd);
        Assert.Equal(["ALL"], launch.CapDrop);
    }

    [Fact]
    public void Build_NoSecurityContext_RunsUnprivilegedAsTheImageUser()
    {
        var launch = Launch(TestPods.Container());

        Assert.False(launch.Privileged);
        Assert.False(launch.ReadOnlyRootFilesystem);
        Assert.Empty(launch.CapAdd);
        Assert.Empty(launch.CapDrop);
        Assert.Equal("", launch.User);
        Assert.Empty(launch.GroupAdd);
        Assert.Equal("", launch.PidMode);
    }

    [Fact]
    public void Build_ExplicitFalseSecurityFlags_AreFalse()
    {
        var container = TestPods.Container();
        container.SecurityContext = new SecurityContext { Privileged = false, ReadOnlyRootFilesystem = false };

        var launch = Launch(container);

        Assert.False(launch.Privileged);
        Assert.False(launch.ReadOnlyRootFilesystem);
    }

    [Theory]
    [InlineData(null, null, null, null, "")]
    [InlineData(1000L, null, null, null, "1000")]
    [InlineData(1000L, 2000L, null, null, "1000:2000")]
    [InlineData(null, null, 10L, null, "10")]
    [InlineData(null, null, 10L, 20L, "10:20")]
    [InlineData(1000L, null, 10L, 20L, "1000:20")]
    [InlineData(null, 2000L, 10L, 20L, "10:2000")]
    [InlineData(1000L, 2000L, 10L, 20L, "1000:2000")]
    [InlineData(0L, null, null, null, "0")]
    [InlineData(0L, 0L, 10L, 20L, "0:0")]
    public void Build_RunAsUserAndGroup_ContainerOverridesPodPerField(long? user, long? group, long? podUser, long? podGroup, string expected)
    {
        var container = TestPods.Container();
        container.SecurityContext = new SecurityContext();
        if (user is { } u)
        {
            container.SecurityContext.RunAsUser = u;
        }

        if (group is { } g)
        {
            container.SecurityContext.RunAsGroup = g;
        }

        var pod = TestPods.Pod(containers: container);
        pod.Spec.SecurityContext = new PodSecurityContext();
        if (podUser is { } pu)
        {
            pod.Spec.SecurityContext.RunAsUser = pu;
        }

        if (podGroup is { } pg)
        {
            pod.Spec.SecurityContext.RunAsGroup = pg;
        }

        Assert.Equal(expected, Build(pod).Containers[0].Launch.User);
    }

    [Fact]
    public void Build_SupplementalGroups_BecomeGroupAddOfEveryContainer()
    {
        var pod = TestPods.Pod(containers: [TestPods.Container("a"), TestPods.Container("b")]);
        pod.Spec.HostNetwork = true;
        pod.Spec.SecurityContext = new PodSecurityContext { SupplementalGroups = { 30, 40 } };

        Assert.All(Build(pod).Containers, c => Assert.Equal(["30", "40"], c.Launch.GroupAdd));
    }

    [Theory]
    [InlineData(true, "host")]
    [InlineData(false, "")]
    public void Build_HostPid_SelectsPidMode(bool hostPid, string expected)
    {
        var pod = TestPods.Pod();
        pod.Spec.HostPid = hostPid;

        Assert.Equal(expected, Build(pod).Containers[0].Launch.PidMode);
    }

    // DNS

    [Fact]
    public void Build_DnsConfig_MapsServersSearchesAndOptions()
    {
        var pod = TestPods.Pod();
        pod.Spec.DnsConfig = Dns();

        var launch = Build(pod).Containers[0].Launch;

        Assert.Equal(["192.0.2.53", "2001:db8::53"], launch.DnsServers);
        Assert.Equal(["svc.example.com", "example.com"], launch.DnsSearches);
        Assert.Equal(["ndots:2", "edns0", "timeout:"], launch.DnsOptions);
    }

    [Fact]
    public void Build_NoDnsConfig_LeavesDockerDefaults()
    {
        var launch = Launch(TestPods.Container());

        Assert.Empty(launch.DnsServers);
        Assert.Empty(launch.DnsSearches);
        Assert.Empty(launch.DnsOptions);
    }

    // Volumes

    [Fact]
    public void Build_EmptyDir_BindsThePodsVolumeDirectory()
    {
        var pod = PodWithMounts(
            [new Volume { Name = "cache", EmptyDir = new EmptyDirVolumeSource() }],
            new VolumeMount { Name = "cache", MountPath = "/cache" });

        var binds = Build(pod).Containers[0].Launch.Binds;

        Assert.Equal([new BindMount($"{VolumeRoot}/{pod.Metadata.Uid}/volumes/cache", "/cache", false)], binds);
    }

    [Fact]
    public void Build_MemoryEmptyDir_BindsUnderDevShmPerNode()
    {
        var pod = PodWithMounts(
            [new Volume { Name = "scratch", EmptyDir = new EmptyDirVolumeSource { Medium = "Memory", SizeLimit = "64Mi" } }],
            new VolumeMount { Name = "scratch", MountPath = "/scratch", ReadOnly = true });

        var binds = Build(pod).Containers[0].Launch.Binds;

        Assert.Equal([new BindMount($"/dev/shm/hostdaemons/{TestPods.Node}/{pod.Metadata.Uid}/scratch", "/scratch", true)], binds);
    }

    [Fact]
    public void Build_SubPaths_BindInsideTheirVolumes()
    {
        var pod = PodWithMounts(
            [
                new Volume { Name = "data", EmptyDir = new EmptyDirVolumeSource() },
                new Volume { Name = "etc", HostPath = new HostPathVolumeSource { Path = "/etc/app" } },
            ],
            new VolumeMount { Name = "data", MountPath = "/var/lib/app", SubPath = "state" },
            new VolumeMount { Name = "data", MountPath = "/var/log/app", SubPath = "logs/current" },
            new VolumeMount { Name = "etc", MountPath = "/config", SubPath = "conf.d", ReadOnly = true });

        var binds = Build(pod).Containers[0].Launch.Binds;

        var volume = $"{VolumeRoot}/{pod.Metadata.Uid}/volumes/data";
        Assert.Equal(
            [
                new BindMount($"{volume}/state", "/var/lib/app", false),
                new BindMount($"{volume}/logs/current", "/var/log/app", false),
                new BindMount("/etc/app/conf.d", "/config", true),
            ],
            binds);
    }

    [Fact]
    public void Build_TwoContainersSharingAnEmptyDir_BindTheSameDirectory()
    {
        var a = TestPods.Container("a");
        a.VolumeMounts.Add(new VolumeMount { Name = "shared", MountPath = "/out" });
        var b = TestPods.Container("b");
        b.VolumeMounts.Add(new VolumeMount { Name = "shared", MountPath = "/in", ReadOnly = true });
        var pod = TestPods.Pod(containers: [a, b]);
        pod.Spec.Volumes.Add(new Volume { Name = "shared", EmptyDir = new EmptyDirVolumeSource() });

        var desired = Build(pod);

        Assert.Equal(desired.Containers[0].Launch.Binds[0].HostPath, desired.Containers[1].Launch.Binds[0].HostPath);
        Assert.True(desired.Containers[1].Launch.Binds[0].ReadOnly);
    }

    // Log limits

    [Fact]
    public void Build_LogLimits_PassedToEveryContainerAndTheSandbox()
    {
        var desired = Build(TestPods.Pod(containers: [TestPods.Container("a"), TestPods.Container("b")]));

        Assert.All(desired.Containers, c => Assert.Equal(new ContainerLogLimits("10m", 3), c.Launch.LogLimits));
        Assert.Equal(new ContainerLogLimits("10m", 3), desired.Sandbox!.LogLimits);
    }

    [Fact]
    public void Build_NodeWithoutLogLimits_LeavesThemUnset()
    {
        Assert.Null(ContainerSpecBuilder.Build(TestPods.Pod(), TestPods.Node).Containers[0].Launch.LogLimits);
    }

    // The spec hash

    public static TheoryData<string> TemplateChanges => new()
    {
        "privileged",
        "cap add",
        "cap drop",
        "run as user",
        "run as group",
        "pod user default applies",
        "read-only root",
        "supplemental groups",
        "host pid",
        "port added",
        "port number",
        "port protocol",
        "dns nameserver",
        "dns search",
        "dns option",
        "dns option value",
        "field ref path",
        "env reference",
        "emptyDir medium",
        "subPath",
        "mount read-only",
        "host ip used by env",
    };

    [Theory]
    [MemberData(nameof(TemplateChanges))]
    public void Build_TemplateFieldChange_ChangesHash(string change)
    {
        var original = Build(TemplatePod()).Containers[0].SpecHash;
        var pod = TemplatePod();
        var node = s_node;
        var container = pod.Spec.Containers[0];
        var security = container.SecurityContext;
        switch (change)
        {
            case "privileged":
                security.Privileged = true;
                break;
            case "cap add":
                security.Capabilities.Add.Add("SYS_TIME");
                break;
            case "cap drop":
                security.Capabilities.Drop.Clear();
                break;
            case "run as user":
                security.RunAsUser = 1001;
                break;
            case "run as group":
                security.RunAsGroup = 2001;
                break;
            case "pod user default applies":
                security.ClearRunAsUser();
                break;
            case "read-only root":
                security.ReadOnlyRootFilesystem = false;
                break;
            case "supplemental groups":
                pod.Spec.SecurityContext.SupplementalGroups.Add(50);
                break;
            case "host pid":
                pod.Spec.HostPid = true;
                break;
            case "port added":
                container.Ports.Add(new ContainerPort { ContainerPort_ = 9100, Protocol = "TCP" });
                break;
            case "port number":
                container.Ports[0].ContainerPort_ = 8081;
                break;
            case "port protocol":
                container.Ports[0].Protocol = "UDP";
                break;
            case "dns nameserver":
                pod.Spec.DnsConfig.Nameservers[0] = "192.0.2.54";
                break;
            case "dns search":
                pod.Spec.DnsConfig.Searches.Add("local");
                break;
            case "dns option":
                pod.Spec.DnsConfig.Options.Add(new PodDNSConfigOption { Name = "rotate" });
                break;
            case "dns option value":
                pod.Spec.DnsConfig.Options[0].Value = "3";
                break;
            case "field ref path":
                container.Env[0].ValueFrom.FieldRef.FieldPath = "metadata.namespace";
                break;
            case "env reference":
                container.Env[1].Value = "$$(POD)";
                break;
            case "emptyDir medium":
                pod.Spec.Volumes[0].EmptyDir.Medium = "Memory";
                break;
            case "subPath":
                container.VolumeMounts[0].SubPath = "other";
                break;
            case "mount read-only":
                container.VolumeMounts[0].ReadOnly = true;
                break;
            case "host ip used by env":
                node = s_node with { HostIp = "192.0.2.11" };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }

        Assert.NotEqual(original, ContainerSpecBuilder.Build(pod, node).Containers[0].SpecHash);
    }

    [Fact]
    public void Build_TemplatePodTwice_SameHash()
    {
        Assert.Equal(Build(TemplatePod()).Containers[0].SpecHash, Build(TemplatePod()).Containers[0].SpecHash);
    }

    public static TheoryData<string> NeutralChanges => new()
    {
        "log limits",
        "host ip unused",
        "volume root without emptyDir",
        "port name",
        "probe",
        "dns policy",
        "pod run as user overridden",
        "explicit false flags",
    };

    [Theory]
    [MemberData(nameof(NeutralChanges))]
    public void Build_ChangeThatDoesNotShapeTheContainer_KeepsHash(string change)
    {
        var original = Build(NeutralPod()).Containers[0].SpecHash;
        var pod = NeutralPod();
        var node = s_node;
        var container = pod.Spec.Containers[0];
        switch (change)
        {
            case "log limits":
                // An agent started with other --log-max-size/--log-max-files adopts its running containers.
                node = s_node with { LogLimits = new ContainerLogLimits("50m", 5) };
                break;
            case "host ip unused":
                node = s_node with { HostIp = "198.51.100.1" };
                break;
            case "volume root without emptyDir":
                node = s_node with { PodVolumeRoot = "/elsewhere" };
                break;
            case "port name":
                container.Ports[0].Name = "web";
                break;
            case "probe":
                container.ReadinessProbe = new Probe { TcpSocket = new TCPSocketAction { Port = new IntOrString { IntValue = 8080 } } };
                break;
            case "dns policy":
                pod.Spec.DnsPolicy = "ClusterFirstWithHostNet";
                break;
            case "pod run as user overridden":
                pod.Spec.SecurityContext = new PodSecurityContext { RunAsUser = 5 };
                break;
            case "explicit false flags":
                container.SecurityContext.Privileged = false;
                container.SecurityContext.ReadOnlyRootFilesystem = false;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }

        Assert.Equal(original, ContainerSpecBuilder.Build(pod, node).Containers[0].SpecHash);
    }

    [Fact]
    public void Build_HostPortWithHostNetwork_AddsNothingToTheHash()
    {
        var withoutHostPort = NeutralPod();
        withoutHostPort.Spec.HostNetwork = true;
        var withHostPort = NeutralPod();
        withHostPort.Spec.HostNetwork = true;
        withHostPort.Spec.Containers[0].Ports[0].HostPort = 8080;

        Assert.Equal(Build(withoutHostPort).Containers[0].SpecHash, Build(withHostPort).Containers[0].SpecHash);
    }

    // The sandbox of a multi-container pod

    [Fact]
    public void Build_SeveralContainersWithoutHostNetwork_SandboxTakesDnsAndPidMode()
    {
        var pod = TestPods.Pod(containers: [TestPods.Container("a"), TestPods.Container("b")]);
        pod.Spec.DnsConfig = Dns();
        pod.Spec.HostPid = true;

        var desired = Build(pod);

        var sandbox = desired.Sandbox!;
        Assert.True(desired.NeedsSandbox);
        Assert.Equal(PauseImage.Name, sandbox.Image);
        Assert.Equal(["/pause"], sandbox.Entrypoint);
        Assert.Equal("none", sandbox.NetworkMode);
        Assert.Equal("host", sandbox.PidMode);
        Assert.Equal(["192.0.2.53", "2001:db8::53"], sandbox.DnsServers);
        Assert.Equal(["svc.example.com", "example.com"], sandbox.DnsSearches);
        Assert.Equal(["ndots:2", "edns0", "timeout:"], sandbox.DnsOptions);
        Assert.All(desired.Containers, c =>
        {
            Assert.True(c.JoinsSandbox);
            Assert.Empty(c.Launch.DnsServers);
            Assert.Empty(c.Launch.DnsSearches);
            Assert.Empty(c.Launch.DnsOptions);
            Assert.Equal("host", c.Launch.PidMode);
        });
    }

    [Fact]
    public void Build_Sandbox_IsLabelledAsThePodsSandbox()
    {
        var pod = TestPods.Pod(name: "agent-abcde", uid: "uid-42", TestPods.Container("a"), TestPods.Container("b"));
        pod.Spec.TerminationGracePeriodSeconds = 90;

        var sandbox = Build(pod).Sandbox!;

        Assert.Equal(
            new Dictionary<string, string>
            {
                [ContainerLabels.Node] = TestPods.Node,
                [ContainerLabels.Namespace] = TestPods.Namespace,
                [ContainerLabels.Pod] = "agent-abcde",
                [ContainerLabels.PodUid] = "uid-42",
                [ContainerLabels.Container] = ContainerLabels.SandboxContainerName,
                [ContainerLabels.Owner] = "DaemonSet/fluentd",
                [ContainerLabels.Sandbox] = "true",
                [ContainerLabels.GracePeriod] = "0",
                [ContainerLabels.SandboxNetwork] = "none",
            },
            sandbox.Labels);
        Assert.Equal("", sandbox.Name);
        Assert.Empty(sandbox.Binds);
        Assert.Empty(sandbox.Environment);
    }

    [Fact]
    public void Build_JoinedContainers_KeepTheirLabelsAndHash()
    {
        var pod = TestPods.Pod(containers: [TestPods.Container("a"), TestPods.Container("b")]);

        var desired = Build(pod);

        Assert.All(desired.Containers, c => Assert.Equal(c.SpecHash, c.Launch.Labels[ContainerLabels.SpecHash]));
        Assert.Equal(["a", "b"], desired.Containers.Select(c => c.Launch.Labels[ContainerLabels.Container]));
        Assert.All(desired.Containers, c => Assert.Equal("none", c.Launch.NetworkMode));
    }

    [Fact]
    public void Build_DnsChangeInAMultiContainerPod_ChangesTheContainersHash()
    {
        var pod = TestPods.Pod(containers: [TestPods.Container("a"), TestPods.Container("b")]);
        var before = Build(pod);
        pod.Spec.DnsConfig = Dns();

        var after = Build(pod);

        Assert.NotEqual(before.Containers[0].SpecHash, after.Containers[0].SpecHash);
        Assert.NotEqual(before.Containers[1].SpecHash, after.Containers[1].SpecHash);
    }

    [Fact]
    public void Build_SingleContainer_KeepsDnsAndNeedsNoSandbox()
    {
        var pod = TestPods.Pod();
        pod.Spec.DnsConfig = Dns();

        var desired = Build(pod);

        Assert.Null(desired.Sandbox);
        Assert.False(desired.Containers[0].JoinsSandbox);
        Assert.Equal(["192.0.2.53", "2001:db8::53"], desired.Containers[0].Launch.DnsServers);
    }

    [Fact]
    public void Build_SeveralContainersWithHostNetwork_EachKeepsDnsWithoutSandbox()
    {
        var pod = TestPods.Pod(containers: [TestPods.Container("a"), TestPods.Container("b"), TestPods.Container("c")]);
        pod.Spec.HostNetwork = true;
        pod.Spec.DnsConfig = Dns();

        var desired = Build(pod);

        Assert.False(desired.NeedsSandbox);
        Assert.All(desired.Containers, c =>
        {
            Assert.False(c.JoinsSandbox);
            Assert.Equal("host", c.Launch.NetworkMode);
            Assert.Equal(["svc.example.com", "example.com"], c.Launch.DnsSearches);
        });
    }

    private static DesiredPod Build(Pod pod) => ContainerSpecBuilder.Build(pod, s_node);

    private static ContainerLaunchSpec Launch(Container container) => Build(TestPods.Pod(containers: container)).Containers[0].Launch;

    private static EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    private static EnvVar FieldRef(string name, string fieldPath) =>
        new() { Name = name, ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { ApiVersion = "v1", FieldPath = fieldPath } } };

    private static PodDNSConfig Dns() => new()
    {
        Nameservers = { "192.0.2.53", "2001:db8::53" },
        Searches = { "svc.example.com", "example.com" },
        Options =
        {
            new PodDNSConfigOption { Name = "ndots", Value = "2" },
            new PodDNSConfigOption { Name = "edns0" },
            new PodDNSConfigOption { Name = "timeout", Value = "" },
        },
    };

    private static Pod PodWithMounts(Volume[] volumes, params VolumeMount[] mounts)
    {
        var container = TestPods.Container();
        container.VolumeMounts.AddRange(mounts);
        var pod = TestPods.Pod(containers: container);
        pod.Spec.Volumes.AddRange(volumes);
        return pod;
    }

    /// <summary>A single-container pod using every field the hash must follow.</summary>
    private static Pod TemplatePod()
    {
        var container = TestPods.Container();
        container.Env.Add(FieldRef("POD", "metadata.name"));
        container.Env.Add(Env("TAG", "$(POD)"));
        container.Env.Add(FieldRef("HOST_IP", "status.hostIP"));
        container.Ports.Add(new ContainerPort { Name = "http", ContainerPort_ = 8080, Protocol = "TCP" });
        container.SecurityContext = new SecurityContext
        {
            Privileged = false,
            ReadOnlyRootFilesystem = true,
            RunAsUser = 1000,
            RunAsGroup = 2000,
            Capabilities = new Capabilities { Add = { "NET_ADMIN" }, Drop = { "ALL" } },
        };
        container.VolumeMounts.Add(new VolumeMount { Name = "data", MountPath = "/data", SubPath = "state" });
        var pod = TestPods.Pod(containers: container);
        pod.Spec.Volumes.Add(new Volume { Name = "data", EmptyDir = new EmptyDirVolumeSource() });
        pod.Spec.SecurityContext = new PodSecurityContext { RunAsUser = 10, SupplementalGroups = { 30 } };
        pod.Spec.DnsConfig = new PodDNSConfig
        {
            Nameservers = { "192.0.2.53" },
            Searches = { "example.com" },
            Options = { new PodDNSConfigOption { Name = "ndots", Value = "2" } },
        };
        return pod;
    }

    /// <summary>A single-container pod with a port and a security context, but no emptyDir or node-dependent env.</summary>
    private static Pod NeutralPod()
    {
        var container = TestPods.Container();
        container.Env.Add(Env("LEVEL", "info"));
        container.Ports.Add(new ContainerPort { Name = "http", ContainerPort_ = 8080, Protocol = "TCP" });
        container.SecurityContext = new SecurityContext { RunAsUser = 1000, Capabilities = new Capabilities { Add = { "NET_ADMIN" } } };
        return TestPods.Pod(containers: container);
    }
}
