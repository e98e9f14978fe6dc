using HostDaemons.Cli.Printing;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests.Printing;

/// <summary>
/// kubectl describe for issue 13's pod spec: init containers before containers, env sources, envFrom, every volume
/// type, priority, seccomp and IPs; the same helpers print a daemonset's template.
/// </summary>
public sealed class DescriberPodSpecFieldsTests
{
    private static readonly Describer s_describer = new(TestPods.Now, TimeZoneInfo.Utc);

    internal static PodSpec Spec()
    {
        var spec = DescribeFixtures.Spec();
        spec.PriorityClassName = "system-node-critical";
        spec.Priority = 2000001000;
        spec.SecurityContext = new PodSecurityContext { SeccompProfile = new SeccompProfile { Type = "RuntimeDefault" } };
        spec.InitContainers.Add(new Container
        {
            Name = "setup",
            Image = "busybox:1.36",
            Command = { "sh", "-c", "cp /config/* /work/" },
            VolumeMounts = { new VolumeMount { Name = "config", MountPath = "/config", ReadOnly = true } },
        });
        spec.InitContainers.Add(new Container { Name = "proxy", Image = "envoy:1.30", RestartPolicy = "Always" });
        var main = spec.Containers[0];
        main.SecurityContext = new SecurityContext { SeccompProfile = new SeccompProfile { Type = "Localhost", LocalhostProfile = "profiles/audit.json" } };
        main.EnvFrom.Add(new EnvFromSource { ConfigMapRef = new ConfigMapEnvSource { Name = "app" } });
        main.EnvFrom.Add(new EnvFromSource { SecretRef = new SecretEnvSource { Name = "db", Optional = true }, Prefix = "DB_" });
        main.Env.Add(new EnvVar { Name = "TOKEN", ValueFrom = new EnvVarSource { SecretKeyRef = new SecretKeySelector { Name = "api", Key = "token" } } });
        main.Env.Add(new EnvVar { Name = "LEVEL", ValueFrom = new EnvVarSource { ConfigMapKeyRef = new ConfigMapKeySelector { Name = "app", Key = "log.level", Optional = true } } });
        main.Env.Add(new EnvVar { Name = "MEMORY_MI", ValueFrom = new EnvVarSource { ResourceFieldRef = new ResourceFieldSelector { Resource = "limits.memory", Divisor = "1Mi" } } });
        main.Env.Add(new EnvVar { Name = "CPU_REQUEST", ValueFrom = new EnvVarSource { ResourceFieldRef = new ResourceFieldSelector { Resource = "requests.cpu", Divisor = "1m" } } });
        main.Env.Add(new EnvVar { Name = "EPHEMERAL", ValueFrom = new EnvVarSource { ResourceFieldRef = new ResourceFieldSelector { Resource = "limits.ephemeral-storage", Divisor = "1" } } });
        main.Env.Add(new EnvVar { Name = "POD_UID", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { ApiVersion = "v1", FieldPath = "metadata.uid" } } });
        main.VolumeMounts.Add(new VolumeMount { Name = "config", MountPath = "/etc/app", ReadOnly = true });
        main.VolumeMounts.Add(new VolumeMount { Name = "info", MountPath = "/etc/podinfo" });
        spec.Volumes.Add(new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "app", DefaultMode = 420 } });
        spec.Volumes.Add(new Volume { Name = "certs", Secret = new SecretVolumeSource { SecretName = "tls", Optional = true, DefaultMode = 420 } });
        spec.Volumes.Add(new Volume
        {
            Name = "info",
            DownwardApi = new DownwardAPIVolumeSource
            {
                Items =
                {
                    new DownwardAPIVolumeFile { Path = "labels", FieldRef = new ObjectFieldSelector { ApiVersion = "v1", FieldPath = "metadata.labels" } },
                    new DownwardAPIVolumeFile { Path = "mem", ResourceFieldRef = new ResourceFieldSelector { ContainerName = "monitor", Resource = "limits.memory" } },
                },
            },
        });
        spec.Volumes.Add(new Volume
        {
            Name = "all",
            Projected = new ProjectedVolumeSource
            {
                Sources =
                {
                    new VolumeProjection { ConfigMap = new ConfigMapProjection { Name = "app" } },
                    new VolumeProjection { Secret = new SecretProjection { Name = "tls", Optional = true } },
                    new VolumeProjection { DownwardApi = new DownwardAPIProjection() },
                },
            },
        });
        return spec;
    }

    /// <summary>Each line with its cells one space apart, for checks that do not depend on a block's column widths.</summary>
    private static string[] Cells(string text) => [.. text.Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))];

    private static Pod Pod()
    {
        var pod = DescribeFixtures.Pod();
        pod.Spec = Spec();
        pod.Spec.NodeName = "node-1";
        pod.Spec.ReadinessGates.Add(new PodReadinessGate { ConditionType = "example.com/feature-1" });
        pod.Spec.ReadinessGates.Add(new PodReadinessGate { ConditionType = "Ready" });
        var started = pod.Status.StartTime;
        pod.Status.PodIps.Add(new PodIP { Ip = "172.17.0.3" });
        pod.Status.PodIps.Add(new PodIP { Ip = "fd00::3" });
        pod.Status.InitContainerStatuses.Add(new ContainerStatus
        {
            Name = "setup",
            Ready = true,
            ContainerId = "docker://1a2b",
            ImageId = "docker-pullable://busybox@sha256:aa",
            State = new ContainerState { Terminated = new ContainerStateTerminated { Reason = "Completed", StartedAt = started, FinishedAt = started } },
        });
        pod.Status.InitContainerStatuses.Add(new ContainerStatus
        {
            Name = "proxy",
            Ready = true,
            Started = true,
            ContainerId = "docker://3c4d",
            ImageId = "docker-pullable://envoy@sha256:bb",
            State = new ContainerState { Running = new ContainerStateRunning { StartedAt = started } },
        });
        return pod;
    }

    /// <summary>Each block appears in the text, in this order (the fixture's other lines are pinned by DescriberTests).</summary>
    private static void AssertBlocks(string text, params string[] blocks)
    {
        var at = 0;
        foreach (var block in blocks)
        {
            var found = text.IndexOf(block, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"not found after position {at}:\n{block}\nin:\n{text}");
            at = found + block.Length;
        }
    }

    [Fact]
    public void Pod_InitContainersEnvSourcesAndEveryVolumeType_PrintsKubectlLayout()
    {
        AssertBlocks(
            s_describer.Pod(Pod(), []),
            "Priority:             2000001000\n" +
            "Priority Class Name:  system-node-critical\n",
            "SeccompProfile:       RuntimeDefault\n" +
            "IP:                   172.17.0.3\n" +
            "IPs:\n" +
            "  IP:           172.17.0.3\n" +
            "  IP:           fd00::3\n",
            "Init Containers:\n" +
            "  setup:\n" +
            "    Container ID:  docker://1a2b\n" +
            "    Image:         busybox:1.36\n" +
            "    Image ID:      docker-pullable://busybox@sha256:aa\n" +
            "    Port:          <none>\n" +
            "    Host Port:     <none>\n" +
            "    Command:\n" +
            "      sh\n" +
            "      -c\n" +
            "      cp /config/* /work/\n" +
            "    State:          Terminated\n" +
            "      Reason:       Completed\n" +
            "      Exit Code:    0\n" +
            "      Started:      Fri, 02 Jan 2026 02:59:01 +0000\n" +
            "      Finished:     Fri, 02 Jan 2026 02:59:01 +0000\n" +
            "    Ready:          True\n" +
            "    Restart Count:  0\n" +
            "    Environment:    <none>\n" +
            "    Mounts:\n" +
            "      /config from config (ro)\n" +
            "  proxy:\n" +
            "    Container ID:   docker://3c4d\n" +
            "    Image:          envoy:1.30\n" +
            "    Image ID:       docker-pullable://envoy@sha256:bb\n" +
            "    Port:           <none>\n" +
            "    Host Port:      <none>\n" +
            "    State:          Running\n" +
            "      Started:      Fri, 02 Jan 2026 02:59:01 +0000\n" +
            "    Ready:          True\n" +
            "    Restart Count:  0\n" +
            "    Environment:    <none>\n" +
            "    Mounts:         <none>\n" +
            "Containers:\n" +
            "  monitor:\n",
            "    SeccompProfile:      Localhost\n" +
            "      LocalhostProfile:  profiles/audit.json\n",
            "    Environment Variables from:\n" +
            "      app  ConfigMap                 Optional: false\n" +
            "      db   Secret with prefix 'DB_'  Optional: true\n" +
            "    Environment:\n" +
            "      LOG_LEVEL:    info\n" +
            "      NODE_NAME:     (v1:spec.nodeName)\n" +
            "      POD_NAME:     ssd-monitor-x7k2p (v1:metadata.name)\n" +
            "      TOKEN:        <set to the key 'token' in secret 'api'>          Optional: false\n" +
            "      LEVEL:        <set to the key 'log.level' of config map 'app'>  Optional: true\n" +
            "      MEMORY_MI:    128 (limits.memory)\n" +
            "      CPU_REQUEST:  100 (requests.cpu)\n" +
            "      EPHEMERAL:    0 (limits.ephemeral-storage)\n" +
            "      POD_UID:      pod-uid-1 (v1:metadata.uid)\n" +
            "    Mounts:\n" +
            "      /cache from cache (rw)\n" +
            "      /etc/app from config (ro)\n" +
            "      /etc/podinfo from info (rw)\n" +
            "      /var/log from varlog (ro)\n",
            "Readiness Gates:\n" +
            "  Type                    Status\n" +
            "  example.com/feature-1   <none> \n" +
            "  Ready                   True \n",
            "  config:\n" +
            "    Type:      ConfigMap (a volume populated by a ConfigMap)\n" +
            "    Name:      app\n" +
            "    Optional:  false\n" +
            "  certs:\n" +
            "    Type:        Secret (a volume populated by a Secret)\n" +
            "    SecretName:  tls\n" +
            "    Optional:    true\n" +
            "  info:\n" +
            "    Type:  DownwardAPI (a volume populated by information about the pod)\n" +
            "    Items:\n" +
            "      metadata.labels -> labels\n" +
            "      limits.memory -> mem\n" +
            "  all:\n" +
            "    Type:           Projected (a volume that contains injected data from multiple sources)\n" +
            "    ConfigMapName:  app\n" +
            "    Optional:       false\n" +
            "    SecretName:     tls\n" +
            "    Optional:       true\n" +
            "    DownwardAPI:    true\n");
    }

    [Fact]
    public void DaemonSet_TemplateWithInitContainersAndPriorityClass_PrintsKubectlLayout()
    {
        var ds = DescribeFixtures.DaemonSet();
        ds.Spec.Template.Spec = Spec();

        AssertBlocks(
            s_describer.DaemonSet(ds, [], []),
            "  Init Containers:\n" +
            "   setup:\n" +
            "    Image:      busybox:1.36\n" +
            "    Port:       <none>\n" +
            "    Host Port:  <none>\n" +
            "    Command:\n" +
            "      sh\n" +
            "      -c\n" +
            "      cp /config/* /work/\n" +
            "    Environment:  <none>\n" +
            "    Mounts:\n" +
            "      /config from config (ro)\n" +
            "   proxy:\n" +
            "    Image:        envoy:1.30\n" +
            "    Port:         <none>\n" +
            "    Host Port:    <none>\n" +
            "    Environment:  <none>\n" +
            "    Mounts:       <none>\n" +
            "  Containers:\n" +
            "   monitor:\n",
            "  Priority Class Name:  system-node-critical\n");
    }

    [Theory]
    [InlineData("limits.cpu", "node allocatable")]
    [InlineData("limits.memory", "node allocatable")]
    [InlineData("requests.memory", "0")]
    public void Pod_ResourceFieldOfAnUnsetResource_PrintedAsKubectlDoes(string resource, string value)
    {
        var pod = TestPods.Pod();
        pod.Spec.Containers[0].Env.Add(new EnvVar { Name = "V", ValueFrom = new EnvVarSource { ResourceFieldRef = new ResourceFieldSelector { Resource = resource, Divisor = "1" } } });

        Assert.Contains($"V: {value} ({resource})", Cells(s_describer.Pod(pod, [])));
    }

    [Fact]
    public void Pod_FieldRefsToLabelsAndAnnotations_ResolvedFromThePod()
    {
        var pod = TestPods.Pod();
        pod.Metadata.Labels["app"] = "monitor";
        pod.Spec.Containers[0].Env.Add(new EnvVar { Name = "APP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { ApiVersion = "v1", FieldPath = "metadata.labels['app']" } } });

        Assert.Contains("APP: monitor (v1:metadata.labels['app'])", Cells(s_describer.Pod(pod, [])));
    }

    [Fact]
    public void Pod_FieldRefToAllAnnotations_ValuesQuotedAsGoQuotesThem()
    {
        var pod = TestPods.Pod();
        pod.Metadata.Annotations["note"] = "tab\there";
        pod.Spec.Containers[0].Env.Add(new EnvVar { Name = "NOTES", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { ApiVersion = "v1", FieldPath = "metadata.annotations" } } });

        Assert.Contains("NOTES: note=\"tab\\there\" (v1:metadata.annotations)", Cells(s_describer.Pod(pod, [])));
    }

    [Fact]
    public void Pod_StatusQosClass_WinsOverTheComputedOne()
    {
        var pod = TestPods.Pod();
        pod.Status.QosClass = "Guaranteed";

        Assert.Contains("QoS Class: Guaranteed", Cells(s_describer.Pod(pod, [])));
    }

    [Fact]
    public void QosClass_InitContainerLimits_CountAsKubernetesCountsThem()
    {
        var spec = new PodSpec
        {
            InitContainers = { new Container { Name = "setup", Resources = new ResourceRequirements { Limits = { ["cpu"] = "1" } } } },
            Containers = { new Container { Name = "main" } },
        };

        Assert.Equal("Burstable", Describer.QosClass(spec));
    }
}
