using HostDaemons.Agent.Policy;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.StaticPods;
using HostDaemons.Agent.Tests.StaticPods;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>
/// The host policy through the whole agent: a refused container is never created and waits with reason
/// HostPolicyViolation and a Warning event, nothing of it touches the host, static pods run regardless, and the check
/// is made again at every creation, so a link planted under an admitted path stops the next restart.
/// </summary>
public sealed class HostPolicyReconcileTests : IDisposable
{
    private const string Uid = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

    private readonly TempDirectory _stateDir = new("hd-agent-state");
    private readonly TempDirectory _host = new("hd-policy-host");
    private readonly AgentHarness _agent;

    public HostPolicyReconcileTests()
    {
        Directory.CreateDirectory(Host("logs", "app"));
        Assert.True(AllowedHostPath.TryParseList($"{Host("logs")}:ro", out var allowed, out _));
        _agent = AgentHarness.Create(_stateDir, node => new HostPolicy(allowPrivileged: false, allowed, node));
        _agent.Runtime.AddLocalImage(TestPods.Image);
        _agent.Runtime.AddLocalImage("busybox:latest");
    }

    public void Dispose()
    {
        _agent.Dispose();
        _stateDir.Dispose();
        _host.Dispose();
    }

    private string Host(params string[] parts) => Path.Combine([HostPathResolver.Resolve(_host.Path), .. parts]);

    private static Pod WithHostPath(Pod pod, string path, bool readOnly, string type = "")
    {
        pod.Spec.Volumes.Add(new Volume { Name = "host", HostPath = new HostPathVolumeSource { Path = path, Type = type } });
        pod.Spec.Containers[0].VolumeMounts.Add(new VolumeMount { Name = "host", MountPath = "/host", ReadOnly = readOnly });
        return pod;
    }

    [Fact]
    public async Task ReconcileOnce_PodBreakingThePolicy_NotCreatedWaitsWithHostPolicyViolationAndWarns()
    {
        var outside = Host("outside", "made-by-pod");
        _agent.Assigned.ReplaceAll([WithHostPath(TestPods.Pod(), outside, readOnly: true, type: "DirectoryOrCreate")], 1);

        await _agent.PassAsync();
        await _agent.PassAsync();

        Assert.DoesNotContain(_agent.Runtime.Calls, c => c.Method == RuntimeCall.Create);
        Assert.False(Directory.Exists(outside), "nothing of a refused pod reaches the host");
        var waiting = Assert.Single((await _agent.TakeReportAsync(Uid)).Status.ContainerStatuses).State.Waiting;
        Assert.Equal(HostPolicy.ViolationReason, waiting.Reason);
        Assert.Equal($"hostPath volume \"host\" mounts {outside}, which is not under a path this host allows (allowed-host-paths: {Host("logs")} read-only)", waiting.Message);
        var warning = Assert.Single(await _agent.TakeEventsAsync(), e => e.Reason == HostPolicy.ViolationReason);
        Assert.Equal(("Warning", waiting.Message, "spec.containers{main}"), (warning.Type, warning.Message, warning.FieldPath));
    }

    [Fact]
    public async Task ReconcileOnce_PrivilegedPodFromTheControlPlane_RefusedButTheSameStaticPodRuns()
    {
        var assigned = TestPods.Pod();
        assigned.Spec.Containers[0].SecurityContext = new SecurityContext { Privileged = true };
        var manifest = StaticPodDirectoryTests.Manifest("monitor").Replace("    image: busybox:latest", "    image: busybox:latest\n    securityContext: {privileged: true}", StringComparison.Ordinal);
        var staticPod = StaticPodManifest.Parse("/m/monitor.yaml", manifest, TestPods.Node, AgentHarness.Epoch).Pod!;
        Assert.True(staticPod.Spec.Containers[0].SecurityContext.Privileged);
        _agent.Assigned.ReplaceAll([assigned], 1);
        _agent.StaticPods.Replace([staticPod], []);

        await _agent.PassAsync();

        var running = Assert.Single(_agent.Runtime.Containers);
        Assert.Equal(staticPod.Metadata.Uid, running.Labels[ContainerLabels.PodUid]);
        Assert.True(_agent.Runtime.SpecOf(running.Id).Privileged);
        Assert.Equal(HostPolicy.ViolationReason, _agent.Restarts.LastFailure(RestartTracker.Key(Uid, "main"))?.Reason);
    }

    [Fact]
    public async Task ReconcileOnce_LinkPlantedAfterTheFirstStart_RestartRefused()
    {
        _agent.Assigned.ReplaceAll([WithHostPath(TestPods.Pod(), Host("logs", "app"), readOnly: true)], 1);
        await _agent.PassAsync();
        var first = Assert.Single(_agent.Runtime.Containers);
        Assert.Equal(Host("logs", "app"), Assert.Single(_agent.Runtime.SpecOf(first.Id).Binds, b => b.ContainerPath == "/host").HostPath);

        Directory.Delete(Host("logs", "app"));
        File.CreateSymbolicLink(Host("logs", "app"), "/etc");
        _agent.Runtime.SimulateExit(first.Id, exitCode: 1);
        await _agent.PassAsync();

        Assert.Single(_agent.Runtime.Containers);
        var failure = _agent.Restarts.LastFailure(RestartTracker.Key(Uid, "main"));
        Assert.Equal(HostPolicy.ViolationReason, failure?.Reason);
        Assert.Contains("(resolved: /etc)", failure?.Message, StringComparison.Ordinal);
    }
}
