using HostDaemons.Cli.Printing;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests.Printing;

/// <summary>Expected texts are kubectl describe's layout: Go tab writer blocks, two-space levels, kubectl's wording.</summary>
public sealed class DescriberTests
{
    private static readonly Describer s_describer = new(TestPods.Now, TimeZoneInfo.Utc);

    private static Event PodEvent(string reason, string message, int count, int firstMinutesAgo, int lastMinutesAgo, string type = "Normal") =>
        DescribeFixtures.Event(reason, message, count, TimeSpan.FromMinutes(firstMinutesAgo), TimeSpan.FromMinutes(lastMinutesAgo), type);

    private static Event DaemonSetEvent() =>
        DescribeFixtures.Event("SuccessfulCreate", "Created pod: ssd-monitor-x7k2p", 1, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5),
            kind: "DaemonSet", name: "ssd-monitor", uid: DescribeFixtures.DaemonSetUid, component: "daemonset-controller");

    private static Event NodeEvent() =>
        DescribeFixtures.Event("NodeReady", "Node node-1 status is now: NodeReady", 1, TimeSpan.FromHours(2), TimeSpan.FromHours(2),
            kind: "Node", name: "node-1", uid: "node-1");

    private static Event[] AllEvents() =>
    [
        PodEvent("BackOff", "Back-off restarting failed container monitor in pod ssd-monitor-x7k2p", 3, 5, 2, "Warning"),
        PodEvent("Pulled", "Container image \"ghcr.io/acme/ssd-monitor:1.2\" already present on machine", 1, 4, 4),
        DaemonSetEvent(),
        NodeEvent(),
    ];

    private static string[] Lines(string text) => text.Split('\n');

    [Fact]
    public void Pod_RunningDaemonSetPod_PrintsKubectlLayout()
    {
        var text = s_describer.Pod(DescribeFixtures.Pod(), AllEvents());

        Assert.Equal(
            "Name:         ssd-monitor-x7k2p\n" +
            "Namespace:    default\n" +
            "Priority:     0\n" +
            "Node:         node-1/10.0.0.1\n" +
            "Start Time:   Fri, 02 Jan 2026 02:59:01 +0000\n" +
            "Labels:       app=ssd-monitor\n" +
            "              controller-revision-hash=6d4f8b7c9\n" +
            "Annotations:  <none>\n" +
            "Status:       Running\n" +
            "IP:           172.17.0.3\n" +
            "IPs:\n" +
            "  IP:           172.17.0.3\n" +
            "Controlled By:  DaemonSet/ssd-monitor\n" +
            "Containers:\n" +
            "  monitor:\n" +
            "    Container ID:  docker://5f2c1e9a7b3d\n" +
            "    Image:         ghcr.io/acme/ssd-monitor:1.2\n" +
            "    Image ID:      docker-pullable://ghcr.io/acme/ssd-monitor@sha256:0123abcd\n" +
            "    Port:          8080/TCP\n" +
            "    Host Port:     8080/TCP\n" +
            "    Command:\n" +
            "      /bin/ssd-monitor\n" +
            "    Args:\n" +
            "      --interval=30s\n" +
            "    State:          Running\n" +
            "      Started:      Fri, 02 Jan 2026 03:01:30 +0000\n" +
            "    Last State:     Terminated\n" +
            "      Reason:       Error\n" +
            "      Exit Code:    1\n" +
            "      Started:      Fri, 02 Jan 2026 02:59:05 +0000\n" +
            "      Finished:     Fri, 02 Jan 2026 03:01:25 +0000\n" +
            "    Ready:          True\n" +
            "    Restart Count:  1\n" +
            "    Limits:\n" +
            "      cpu:     200m\n" +
            "      memory:  128Mi\n" +
            "    Requests:\n" +
            "      cpu:      100m\n" +
            "      memory:   64Mi\n" +
            "    Liveness:   http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3\n" +
            "    Readiness:  exec [cat /tmp/ready] delay=5s timeout=1s period=10s #success=1 #failure=3\n" +
            "    Environment:\n" +
            "      LOG_LEVEL:  info\n" +
            "      NODE_NAME:   (v1:spec.nodeName)\n" +
            "      POD_NAME:   ssd-monitor-x7k2p (v1:metadata.name)\n" +
            "    Mounts:\n" +
            "      /cache from cache (rw)\n" +
            "      /var/log from varlog (ro)\n" +
            "Conditions:\n" +
            "  Type              Status\n" +
            "  Initialized       True \n" +
            "  Ready             True \n" +
            "  ContainersReady   True \n" +
            "  PodScheduled      True \n" +
            "Volumes:\n" +
            "  varlog:\n" +
            "    Type:          HostPath (bare host directory volume)\n" +
            "    Path:          /var/log\n" +
            "    HostPathType:  Directory\n" +
            "  cache:\n" +
            "    Type:        EmptyDir (a temporary directory that shares a pod's lifetime)\n" +
            "    Medium:      \n" +
            "    SizeLimit:   <unset>\n" +
            "QoS Class:       Burstable\n" +
            "Node-Selectors:  disk=ssd\n" +
            "Tolerations:     node-role.kubernetes.io/control-plane:NoSchedule op=Exists\n" +
            "                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n" +
            "Events:\n" +
            "  Type     Reason   Age              From               Message\n" +
            "  ----     ------   ----             ----               -------\n" +
            "  Normal   Pulled   4m               hostdaemons-agent  Container image \"ghcr.io/acme/ssd-monitor:1.2\" already present on machine\n" +
            "  Warning  BackOff  2m (x3 over 5m)  hostdaemons-agent  Back-off restarting failed container monitor in pod ssd-monitor-x7k2p\n",
            text);
    }

    [Fact]
    public void Pod_PendingUnscheduledWithoutStatus_NoneAndWaitingTexts()
    {
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = "p", Namespace = "default", Uid = "u" },
            Spec = new PodSpec { Containers = { new Container { Name = "c", Image = "busybox" } } },
            Status = new PodStatus { Phase = "Pending" },
        };

        Assert.Equal(
            "Name:         p\n" +
            "Namespace:    default\n" +
            "Priority:     0\n" +
            "Node:         <none>\n" +
            "Labels:       <none>\n" +
            "Annotations:  <none>\n" +
            "Status:       Pending\n" +
            "IP:           \n" +
            "IPs:          <none>\n" +
            "Containers:\n" +
            "  c:\n" +
            "    Image:        busybox\n" +
            "    Port:         <none>\n" +
            "    Host Port:    <none>\n" +
            "    Environment:  <none>\n" +
            "    Mounts:       <none>\n" +
            "Volumes:          <none>\n" +
            "QoS Class:        BestEffort\n" +
            "Node-Selectors:   <none>\n" +
            "Tolerations:      <none>\n" +
            "Events:           <none>\n",
            s_describer.Pod(pod, []));
    }

    [Fact]
    public void Pod_Deleting_StatusTerminatingWithGracePeriod()
    {
        var pod = DescribeFixtures.Pod();
        pod.Metadata.DeletionTimestamp = TestPods.Ago(TimeSpan.FromSeconds(20));
        pod.Metadata.DeletionGracePeriodSeconds = 30;

        var lines = Lines(s_describer.Pod(pod, []));

        Assert.Contains("Status:                    Terminating (lasts 20s)", lines);
        Assert.Contains("Termination Grace Period:  30s", lines);
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    public void Pod_DeletingAfterItFinished_StatusIsThePhase(string phase)
    {
        var pod = DescribeFixtures.Pod();
        pod.Status.Phase = phase;
        pod.Metadata.DeletionTimestamp = TestPods.Ago(TimeSpan.FromSeconds(20));

        Assert.Contains($"Status:       {phase}", Lines(s_describer.Pod(pod, [])));
    }

    [Fact]
    public void Pod_ReasonAndMessage_PrintedAfterStatus()
    {
        var pod = DescribeFixtures.Pod();
        pod.Status.Phase = "Failed";
        pod.Status.Reason = "Evicted";
        pod.Status.Message = "The node was low on resource: memory.";

        var text = s_describer.Pod(pod, []);

        Assert.Contains("Status:       Failed\nReason:       Evicted\nMessage:      The node was low on resource: memory.\nIP:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pod_EventsOfOtherObjects_AreLeftOut()
    {
        var other = PodEvent("Killing", "Stopping container monitor", 1, 1, 1);
        other.InvolvedObject.Uid = "another-pod";

        var text = s_describer.Pod(DescribeFixtures.Pod(), [other, DaemonSetEvent(), NodeEvent()]);

        Assert.EndsWith("Events:          <none>\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pod_ObjectWithoutUid_EventsMatchedByKindAndName()
    {
        var pod = DescribeFixtures.Pod();
        pod.Metadata.Uid = "";
        var text = s_describer.Pod(pod, [PodEvent("Pulled", "pulled", 1, 1, 1), DaemonSetEvent()]);

        Assert.Contains("Pulled", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SuccessfulCreate", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pod_EventsSortedByLastSeen_OldestFirst()
    {
        var text = s_describer.Pod(DescribeFixtures.Pod(),
        [
            PodEvent("Started", "Started container monitor", 1, 1, 1),
            PodEvent("Created", "Created container monitor", 1, 3, 3),
            PodEvent("Pulling", "Pulling image", 1, 4, 4),
        ]);

        var reasons = Lines(text).SkipWhile(l => l != "Events:").Skip(3).Where(l => l.Length > 0).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.Equal(["Pulling", "Created", "Started"], reasons);
    }

    [Fact]
    public void Pod_TerminalControlCharactersInEvent_ShownEscaped()
    {
        var text = s_describer.Pod(DescribeFixtures.Pod(), [PodEvent("Failed", "bad\u001b[31mred\rline", 1, 1, 1, "Warning")]);

        Assert.EndsWith("hostdaemons-agent  bad^[[31mred\\rline\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pod_TerminatedContainerWithSignal_StateLines()
    {
        var pod = DescribeFixtures.Pod();
        var status = pod.Status.ContainerStatuses[0];
        status.Ready = false;
        status.LastState = null;
        status.State = new ContainerState
        {
            Terminated = new ContainerStateTerminated { ExitCode = 137, Signal = 9, Reason = "OOMKilled", Message = "out of memory", StartedAt = TestPods.Ago(TimeSpan.FromMinutes(2)) },
        };

        var text = s_describer.Pod(pod, []);

        Assert.Contains(
            "    State:          Terminated\n" +
            "      Reason:       OOMKilled\n" +
            "      Message:      out of memory\n" +
            "      Exit Code:    137\n" +
            "      Signal:       9\n" +
            "      Started:      Fri, 02 Jan 2026 03:02:05 +0000\n" +
            "      Finished:     Mon, 01 Jan 0001 00:00:00 +0000\n" +
            "    Ready:          False\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pod_WaitingContainer_StateWaitingWithReason()
    {
        var pod = DescribeFixtures.Pod();
        pod.Status.ContainerStatuses[0] = TestPods.Waiting("monitor", "CrashLoopBackOff", restarts: 4);

        var lines = Lines(s_describer.Pod(pod, []));

        Assert.Contains("    State:          Waiting", lines);
        Assert.Contains("      Reason:       CrashLoopBackOff", lines);
        Assert.Contains("    Restart Count:  4", lines);
    }

    [Fact]
    public void Pod_SeveralPorts_PortsLinesJoined()
    {
        var pod = DescribeFixtures.Pod();
        pod.Spec.Containers[0].Ports.Add(new ContainerPort { ContainerPort_ = 9100, Protocol = "UDP" });

        var lines = Lines(s_describer.Pod(pod, []));

        Assert.Contains("    Ports:         8080/TCP, 9100/UDP", lines);
        Assert.Contains("    Host Ports:    8080/TCP, 0/UDP", lines);
    }

    [Fact]
    public void Pod_ReadOnlySubPathMount_FlagsAndQuotedPath()
    {
        var pod = DescribeFixtures.Pod();
        pod.Spec.Containers[0].VolumeMounts.Clear();
        pod.Spec.Containers[0].VolumeMounts.Add(new VolumeMount { Name = "config", MountPath = "/etc/app.conf", ReadOnly = true, SubPath = "app.conf" });

        Assert.Contains("      /etc/app.conf from config (ro,path=\"app.conf\")", Lines(s_describer.Pod(pod, [])));
    }

    [Fact]
    public void Pod_MultiLineEnvironmentValue_ContinuationLinesInTheValueColumn()
    {
        var pod = DescribeFixtures.Pod();
        pod.Spec.Containers[0].Env.Clear();
        pod.Spec.Containers[0].Env.Add(new EnvVar { Name = "CONFIG", Value = "a=1\nb=2" });

        Assert.Contains("    Environment:\n      CONFIG:  a=1\n               b=2\n", s_describer.Pod(pod, []), StringComparison.Ordinal);
    }

    [Fact]
    public void Pod_EmptyDirWithMediumAndSizeLimit_Printed()
    {
        var pod = DescribeFixtures.Pod();
        pod.Spec.Volumes[1].EmptyDir = new EmptyDirVolumeSource { Medium = "Memory", SizeLimit = "64Mi" };

        var lines = Lines(s_describer.Pod(pod, []));

        Assert.Contains("    Medium:      Memory", lines);
        Assert.Contains("    SizeLimit:   64Mi", lines);
    }

    [Fact]
    public void Pod_Annotations_OnePerLineSortedAndLastAppliedHidden()
    {
        var pod = DescribeFixtures.Pod();
        pod.Metadata.Annotations["zeta"] = "last";
        pod.Metadata.Annotations["alpha"] = "first";
        pod.Metadata.Annotations["kubectl.kubernetes.io/last-applied-configuration"] = "{}";

        Assert.Contains("Annotations:  alpha: first\n              zeta: last\nStatus:", s_describer.Pod(pod, []), StringComparison.Ordinal);
    }

    [Fact]
    public void Pod_LongAnnotation_OnItsOwnLinesCutAt138()
    {
        var pod = DescribeFixtures.Pod();
        pod.Metadata.Annotations["note"] = new string('x', 200);

        Assert.Contains($"Annotations:  note:\n                {new string('x', 138)}...\nStatus:", s_describer.Pod(pod, []), StringComparison.Ordinal);
    }

    [Fact]
    public void Pod_StartTimeInLocalZone_NumericOffset()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("UTC-7", TimeSpan.FromHours(-7), "UTC-7", "UTC-7");

        var text = new Describer(TestPods.Now, zone).Pod(DescribeFixtures.Pod(), []);

        Assert.Contains("Start Time:   Thu, 01 Jan 2026 19:59:01 -0700\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void DaemonSet_WithTemplateAndPods_PrintsKubectlLayout()
    {
        var text = s_describer.DaemonSet(DescribeFixtures.DaemonSet(), [DescribeFixtures.Pod()], AllEvents());

        Assert.Equal(
            "Name:           ssd-monitor\n" +
            "Namespace:      default\n" +
            "Selector:       app=ssd-monitor\n" +
            "Node-Selector:  disk=ssd\n" +
            "Labels:         app=ssd-monitor\n" +
            "Annotations:    deprecated.daemonset.template.generation: 1\n" +
            "Desired Number of Nodes Scheduled: 1\n" +
            "Current Number of Nodes Scheduled: 1\n" +
            "Number of Nodes Scheduled with Up-to-date Pods: 1\n" +
            "Number of Nodes Scheduled with Available Pods: 1\n" +
            "Number of Nodes Misscheduled: 0\n" +
            "Pods Status:  1 Running / 0 Waiting / 0 Succeeded / 0 Failed\n" +
            "Pod Template:\n" +
            "  Labels:  app=ssd-monitor\n" +
            "  Containers:\n" +
            "   monitor:\n" +
            "    Image:      ghcr.io/acme/ssd-monitor:1.2\n" +
            "    Port:       8080/TCP\n" +
            "    Host Port:  8080/TCP\n" +
            "    Command:\n" +
            "      /bin/ssd-monitor\n" +
            "    Args:\n" +
            "      --interval=30s\n" +
            "    Limits:\n" +
            "      cpu:     200m\n" +
            "      memory:  128Mi\n" +
            "    Requests:\n" +
            "      cpu:      100m\n" +
            "      memory:   64Mi\n" +
            "    Liveness:   http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3\n" +
            "    Readiness:  exec [cat /tmp/ready] delay=5s timeout=1s period=10s #success=1 #failure=3\n" +
            "    Environment:\n" +
            "      LOG_LEVEL:  info\n" +
            "      NODE_NAME:   (v1:spec.nodeName)\n" +
            "      POD_NAME:    (v1:metadata.name)\n" +
            "    Mounts:\n" +
            "      /cache from cache (rw)\n" +
            "      /var/log from varlog (ro)\n" +
            "  Volumes:\n" +
            "   varlog:\n" +
            "    Type:          HostPath (bare host directory volume)\n" +
            "    Path:          /var/log\n" +
            "    HostPathType:  Directory\n" +
            "   cache:\n" +
            "    Type:          EmptyDir (a temporary directory that shares a pod's lifetime)\n" +
            "    Medium:        \n" +
            "    SizeLimit:     <unset>\n" +
            "  Node-Selectors:  disk=ssd\n" +
            "  Tolerations:     node-role.kubernetes.io/control-plane:NoSchedule op=Exists\n" +
            "                   node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n" +
            "Events:\n" +
            "  Type    Reason            Age   From                  Message\n" +
            "  ----    ------            ----  ----                  -------\n" +
            "  Normal  SuccessfulCreate  5m    daemonset-controller  Created pod: ssd-monitor-x7k2p\n",
            text);
    }

    [Fact]
    public void DaemonSet_PodsStatus_CountsOnlyItsOwnPodsByPhase()
    {
        Pod With(string phase, string owner = DescribeFixtures.DaemonSetUid)
        {
            var pod = DescribeFixtures.Pod();
            pod.Status.Phase = phase;
            pod.Metadata.OwnerReferences[0].Uid = owner;
            return pod;
        }

        var orphan = DescribeFixtures.Pod();
        orphan.Metadata.OwnerReferences.Clear();
        Pod[] pods = [With("Running"), With("Running"), With("Pending"), With("Succeeded"), With("Failed"), With("Failed"), With("Running", "other-ds"), orphan];

        var text = s_describer.DaemonSet(DescribeFixtures.DaemonSet(), pods, []);

        Assert.Contains("Pods Status:  2 Running / 1 Waiting / 1 Succeeded / 2 Failed\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void DaemonSet_NoStatusNoEventsBareTemplate_ZerosAndNone()
    {
        var ds = DescribeFixtures.DaemonSet();
        ds.Status = null;
        ds.Metadata.Annotations.Clear();
        ds.Spec.Template.Spec = new PodSpec { Containers = { new Container { Name = "c", Image = "busybox" } } };

        var text = s_describer.DaemonSet(ds, [], []);

        Assert.EndsWith(
            "Node-Selector:  <none>\n" +
            "Labels:         app=ssd-monitor\n" +
            "Annotations:    <none>\n" +
            "Desired Number of Nodes Scheduled: 0\n" +
            "Current Number of Nodes Scheduled: 0\n" +
            "Number of Nodes Scheduled with Up-to-date Pods: 0\n" +
            "Number of Nodes Scheduled with Available Pods: 0\n" +
            "Number of Nodes Misscheduled: 0\n" +
            "Pods Status:  0 Running / 0 Waiting / 0 Succeeded / 0 Failed\n" +
            "Pod Template:\n" +
            "  Labels:  app=ssd-monitor\n" +
            "  Containers:\n" +
            "   c:\n" +
            "    Image:         busybox\n" +
            "    Port:          <none>\n" +
            "    Host Port:     <none>\n" +
            "    Environment:   <none>\n" +
            "    Mounts:        <none>\n" +
            "  Volumes:         <none>\n" +
            "  Node-Selectors:  <none>\n" +
            "  Tolerations:     <none>\n" +
            "Events:            <none>\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void DaemonSet_TemplateAnnotationsAndServiceAccount_Printed()
    {
        var ds = DescribeFixtures.DaemonSet();
        ds.Spec.Template.Metadata.Annotations["prometheus.io/scrape"] = "true";
        ds.Spec.Template.Spec.ServiceAccountName = "monitor";

        Assert.Contains(
            "Pod Template:\n" +
            "  Labels:           app=ssd-monitor\n" +
            "  Annotations:      prometheus.io/scrape: true\n" +
            "  Service Account:  monitor\n" +
            "  Containers:\n", s_describer.DaemonSet(ds, [], []), StringComparison.Ordinal);
    }

    [Fact]
    public void Node_WithPodsAndEvents_PrintsKubectlLayout()
    {
        var finished = DescribeFixtures.Pod();
        finished.Metadata.Name = "finished";
        finished.Status.Phase = "Succeeded";
        var elsewhere = DescribeFixtures.Pod();
        elsewhere.Metadata.Name = "elsewhere";
        elsewhere.Spec.NodeName = "node-2";

        var text = s_describer.Node(DescribeFixtures.Node(), [DescribeFixtures.Pod(), finished, elsewhere], AllEvents());

        Assert.Equal(
            "Name:               node-1\n" +
            "Roles:              edge\n" +
            "Labels:             kubernetes.io/hostname=node-1\n" +
            "                    kubernetes.io/os=linux\n" +
            "                    node-role.kubernetes.io/edge=\n" +
            "Annotations:        <none>\n" +
            "CreationTimestamp:  Fri, 02 Jan 2026 01:00:00 +0000\n" +
            "Taints:             <none>\n" +
            "Unschedulable:      false\n" +
            "Conditions:\n" +
            "  Type    Status  LastHeartbeatTime                 LastTransitionTime                Reason       Message\n" +
            "  ----    ------  -----------------                 ------------------                ------       -------\n" +
            "  Ready   True    Fri, 02 Jan 2026 03:03:55 +0000   Fri, 02 Jan 2026 01:00:05 +0000   AgentReady   hostdaemons-agent is posting ready status\n" +
            "Addresses:\n" +
            "  InternalIP:  10.0.0.1\n" +
            "  Hostname:    node-1\n" +
            "System Info:\n" +
            "  Machine ID:                 4c1f0b2e9d8a4f6b\n" +
            "  Kernel Version:             6.8.0-45-generic\n" +
            "  OS Image:                   Ubuntu 24.04.1 LTS\n" +
            "  Operating System:           linux\n" +
            "  Architecture:               amd64\n" +
            "  Container Runtime Version:  docker://27.3.1\n" +
            "  Kubelet Version:            hostdaemons-v0.1.0\n" +
            "Non-terminated Pods:          (1 in total)\n" +
            "  Namespace                   Name                 CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age\n" +
            "  ---------                   ----                 ------------  ----------  ---------------  -------------  ---\n" +
            "  default                     ssd-monitor-x7k2p    100m          200m        64Mi             128Mi          5m5s\n" +
            "Allocated resources:\n" +
            "  (Total limits may be over 100 percent, i.e., overcommitted.)\n" +
            "  Resource           Requests  Limits\n" +
            "  --------           --------  ------\n" +
            "  cpu                100m      200m\n" +
            "  memory             64Mi      128Mi\n" +
            "  ephemeral-storage  0         0\n" +
            "Events:\n" +
            "  Type    Reason     Age   From               Message\n" +
            "  ----    ------     ----  ----               -------\n" +
            "  Normal  NodeReady  120m  hostdaemons-agent  Node node-1 status is now: NodeReady\n",
            text);
    }

    [Fact]
    public void Node_TaintsUnschedulableNoEvents_SortedTaintsAndAlignedNone()
    {
        var node = DescribeFixtures.Node();
        node.Spec.Unschedulable = true;
        node.Spec.Taints.Add(new Taint { Key = "dedicated", Value = "edge", Effect = "NoSchedule" });
        node.Spec.Taints.Add(new Taint { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" });
        node.Spec.Taints.Add(new Taint { Key = "disk", Effect = "NoExecute" });

        var text = s_describer.Node(node, [], []);

        Assert.Contains(
            "Taints:             disk:NoExecute\n" +
            "                    dedicated=edge:NoSchedule\n" +
            "                    node.kubernetes.io/unschedulable:NoSchedule\n" +
            "Unschedulable:      true\n", text, StringComparison.Ordinal);
        Assert.EndsWith(
            "  Resource           Requests  Limits\n" +
            "  --------           --------  ------\n" +
            "  cpu                0         0\n" +
            "  memory             0         0\n" +
            "  ephemeral-storage  0         0\n" +
            "Events:              <none>\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_EventsByNodeUid_IncludedWithThoseByName()
    {
        var byUid = DescribeFixtures.Event("Rebooted", "Node node-1 has been rebooted", 1, TimeSpan.FromMinutes(50), TimeSpan.FromMinutes(50),
            "Warning", kind: "Node", name: "node-1", uid: DescribeFixtures.NodeUid);
        var otherNode = DescribeFixtures.Event("NodeReady", "Node node-2 status is now: NodeReady", 1, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1),
            kind: "Node", name: "node-2", uid: "node-2");

        var text = s_describer.Node(DescribeFixtures.Node(), [], [byUid, NodeEvent(), otherNode]);

        Assert.EndsWith(
            "  Normal   NodeReady  120m  hostdaemons-agent  Node node-1 status is now: NodeReady\n" +
            "  Warning  Rebooted   50m   hostdaemons-agent  Node node-1 has been rebooted\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_PodResources_SummedInCanonicalUnits()
    {
        var pod = DescribeFixtures.Pod();
        pod.Spec.Containers.Add(new Container
        {
            Name = "sidecar",
            Image = "busybox",
            Resources = new ResourceRequirements { Limits = { ["cpu"] = "0.9", ["memory"] = "64Mi", ["ephemeral-storage"] = "1G" } },
        });
        var second = DescribeFixtures.Pod();
        second.Metadata.Name = "second";
        second.Metadata.Namespace = "a-team";

        var lines = Lines(s_describer.Node(DescribeFixtures.Node(), [pod, second], []));

        Assert.Contains("  a-team                      second               100m          200m        64Mi             128Mi          5m5s", lines);
        Assert.Contains("  default                     ssd-monitor-x7k2p    1             1100m       128Mi            192Mi          5m5s", lines);
        Assert.Contains("  cpu                1100m     1300m", lines);
        Assert.Contains("  memory             192Mi     320Mi", lines);
        Assert.Contains("  ephemeral-storage  1G        1G", lines);
    }

    [Theory]
    [InlineData(null, null, null, null, "BestEffort")]
    [InlineData("100m", null, null, null, "Burstable")]
    [InlineData(null, "64Mi", "200m", null, "Burstable")]
    [InlineData("100m", "64Mi", "200m", "64Mi", "Burstable")]
    [InlineData("200m", "64Mi", "200m", "64Mi", "Guaranteed")]
    [InlineData(null, null, "200m", "64Mi", "Guaranteed")]
    [InlineData("0", "0", null, null, "BestEffort")]
    public void QosClass_RequestsAndLimits_KubernetesRules(string? cpuRequest, string? memoryRequest, string? cpuLimit, string? memoryLimit, string expected)
    {
        var resources = new ResourceRequirements();
        void Set(IDictionary<string, string> map, string name, string? value)
        {
            if (value is not null)
            {
                map[name] = value;
            }
        }

        Set(resources.Requests, "cpu", cpuRequest);
        Set(resources.Requests, "memory", memoryRequest);
        Set(resources.Limits, "cpu", cpuLimit);
        Set(resources.Limits, "memory", memoryLimit);
        var spec = new PodSpec { Containers = { new Container { Name = "c", Resources = resources } } };

        Assert.Equal(expected, Describer.QosClass(spec));
    }

    [Fact]
    public void QosClass_OneContainerWithoutLimits_Burstable()
    {
        var spec = new PodSpec
        {
            Containers =
            {
                new Container { Name = "a", Resources = new ResourceRequirements { Limits = { ["cpu"] = "1", ["memory"] = "1Gi" } } },
                new Container { Name = "b" },
            },
        };

        Assert.Equal("Burstable", Describer.QosClass(spec));
    }

    [Fact]
    public void ProbeText_TcpSocket_HostColonPort()
    {
        var probe = new Probe { TcpSocket = new TCPSocketAction { Port = new IntOrString { IntValue = 5432 } }, PeriodSeconds = 5, TimeoutSeconds = 2, SuccessThreshold = 1, FailureThreshold = 6 };

        Assert.Equal("tcp-socket :5432 delay=0s timeout=2s period=5s #success=1 #failure=6", Describer.ProbeText(probe));
    }

    [Theory]
    [InlineData("HTTPS", "10.0.0.5", "/ready", "https://10.0.0.5:8443/ready")]
    [InlineData("HTTP", "", "healthz", "http://:8443/healthz")]
    [InlineData("HTTP", "fe80::1", "/", "http://[fe80::1]:8443/")]
    [InlineData("", "", "/healthz", "//:8443/healthz")]
    public void ProbeText_HttpGet_UrlAsGoWritesIt(string scheme, string host, string path, string url)
    {
        var probe = new Probe { HttpGet = new HTTPGetAction { Scheme = scheme, Host = host, Path = path, Port = new IntOrString { IntValue = 8443 } } };

        Assert.Equal($"http-get {url} delay=0s timeout=0s period=0s #success=0 #failure=0", Describer.ProbeText(probe));
    }

    [Fact]
    public void ProbeText_NamedPort_PrintedByName()
    {
        var probe = new Probe { HttpGet = new HTTPGetAction { Scheme = "HTTP", Path = "/healthz", Port = new IntOrString { StringValue = "metrics" } } };

        Assert.StartsWith("http-get http://:metrics/healthz ", Describer.ProbeText(probe), StringComparison.Ordinal);
    }

    [Fact]
    public void ProbeText_NoHandler_Unknown()
    {
        Assert.Equal("unknown delay=1s timeout=0s period=0s #success=0 #failure=0", Describer.ProbeText(new Probe { InitialDelaySeconds = 1 }));
    }
}
