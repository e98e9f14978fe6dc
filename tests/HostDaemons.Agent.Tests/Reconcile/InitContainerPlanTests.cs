using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>
/// Init containers in the plan: one at a time in order, each to completion (exit 0) before the next and before the
/// app containers, restarted with the crash back-off when they fail; sidecars (restartPolicy Always) started in order,
/// the next waiting for their start, kept running for the pod's life; a new sandbox runs them all again.
/// </summary>
public sealed class InitContainerPlanTests
{
    private readonly FakeTimeProvider _time = new(AgentHarness.Epoch);
    private readonly RestartTracker _restarts;

    public InitContainerPlanTests()
    {
        _restarts = new RestartTracker(_time);
    }

    [Fact]
    public void Plan_NothingYet_SandboxThenOnlyTheFirstInitContainer()
    {
        var pod = Build(Inits("first", "second"));

        var commands = Assert.Single(Plan(pod, []).Work).Commands;

        Assert.IsType<CreateSandboxCommand>(commands[0]);
        var create = Assert.IsType<CreateContainerCommand>(Assert.Single(commands.Skip(1)));
        Assert.Equal(("first", 0, ContainerKind.Init), (create.ContainerName, create.Attempt, create.Container.Kind));
    }

    [Fact]
    public void Plan_FirstInitContainerRunning_WaitsForIt()
    {
        var pod = Build(Inits("first", "second"));
        var sandbox = TestPods.Sandbox(pod);

        var plan = Plan(pod, [sandbox, TestPods.Joined(sandbox, TestPods.Instance(pod, "first", 0, ContainerRunState.Running))]);

        Assert.Empty(plan.Work);
        Assert.Null(plan.WakeUpAfter);
    }

    [Fact]
    public void Plan_FirstCompleted_CreatesTheSecondInTheSandbox()
    {
        var pod = Build(Inits("first", "second"));
        var sandbox = TestPods.Sandbox(pod);

        var plan = Plan(pod, [sandbox, TestPods.Joined(sandbox, TestPods.Instance(pod, "first", 0, ContainerRunState.Exited))]);

        var create = Assert.IsType<CreateContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands));
        Assert.Equal(("second", sandbox.Id), (create.ContainerName, create.SandboxId));
    }

    [Fact]
    public void Plan_EveryInitContainerCompleted_CreatesTheAppContainersAndKeepsTheInitOnes()
    {
        var pod = Build(Inits("first", "second"), "app", "logger");
        var sandbox = TestPods.Sandbox(pod);

        var plan = Plan(pod, [sandbox, TestPods.Joined(sandbox, TestPods.Instance(pod, "first", 0, ContainerRunState.Exited)), TestPods.Joined(sandbox, TestPods.Instance(pod, "second", 0, ContainerRunState.Exited))]);

        var commands = Assert.Single(plan.Work).Commands;
        Assert.All(commands, c => Assert.IsType<CreateContainerCommand>(c));
        Assert.Equal(["app", "logger"], commands.Select(c => c.ContainerName));
    }

    [Fact]
    public void Plan_InitContainerFailedFirstTime_RestartedAtOnceAsARestart()
    {
        var pod = Build(Inits("first"));
        var sandbox = TestPods.Sandbox(pod);
        var failed = TestPods.Joined(sandbox, TestPods.Instance(pod, "first", 0, ContainerRunState.Exited, exitCode: 1, finishedAt: _time.GetUtcNow()));

        var plan = Plan(pod, [sandbox, failed]);

        var create = Assert.IsType<CreateContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands));
        Assert.Equal(("first", 1), (create.ContainerName, create.Attempt));
        Assert.Equal(failed.FinishedAt, create.RestartOf);
    }

    [Fact]
    public void Plan_InitContainerFailedAgainWithinBackOff_WaitsAndWakesUpWhenItEnds()
    {
        var pod = Build(Inits("first"));
        var sandbox = TestPods.Sandbox(pod);
        var key = RestartTracker.Key(pod.Uid, "first");
        _restarts.RecordRestart(key, pod.InitContainers[0].SpecHash, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(2));
        var failed = TestPods.Joined(sandbox, TestPods.Instance(pod, "first", 1, ContainerRunState.Exited, exitCode: 1, finishedAt: _time.GetUtcNow()));

        var plan = Plan(pod, [sandbox, failed]);

        Assert.Empty(plan.Work);
        Assert.Equal(RestartTracker.InitialBackoff, plan.WakeUpAfter);
    }

    [Fact]
    public void Plan_InitContainerFailedWithRestartPolicyNever_NotRestarted()
    {
        var pod = Build(Inits("first"), configure: p => p.Spec.RestartPolicy = "Never");
        var sandbox = TestPods.Sandbox(pod);

        var plan = Plan(pod, [sandbox, TestPods.Joined(sandbox, TestPods.Instance(pod, "first", 0, ContainerRunState.Exited, exitCode: 1))]);

        Assert.Empty(plan.Work);
    }

    [Fact]
    public void Plan_AppStartedAndInitInstancesGone_InitContainersNotRunAgain()
    {
        var pod = Build(Inits("first", "second"));
        var sandbox = TestPods.Sandbox(pod);

        var plan = Plan(pod, [sandbox, TestPods.Joined(sandbox, TestPods.Instance(pod, "main", 0, ContainerRunState.Running))]);

        Assert.Empty(plan.Work);
    }

    [Fact]
    public void Plan_AppCrashedInTheCurrentSandbox_RestartedWithoutInitContainers()
    {
        var pod = Build(Inits("first"));
        var sandbox = TestPods.Sandbox(pod);
        var crashed = TestPods.Joined(sandbox, TestPods.Instance(pod, "main", 0, ContainerRunState.Exited, exitCode: 2, finishedAt: _time.GetUtcNow()));

        var plan = Plan(pod, [sandbox, TestPods.Joined(sandbox, TestPods.Instance(pod, "first", 0, ContainerRunState.Exited)), crashed]);

        var create = Assert.IsType<CreateContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands));
        Assert.Equal(("main", 1), (create.ContainerName, create.Attempt));
    }

    [Fact]
    public void Plan_SandboxDied_InitContainersRunAgainInTheNewOne()
    {
        var pod = Build(Inits("first"));
        var dead = TestPods.Sandbox(pod, ContainerRunState.Exited);
        var done = TestPods.Joined(dead, TestPods.Instance(pod, "first", 0, ContainerRunState.Exited));
        var app = TestPods.Joined(dead, TestPods.Instance(pod, "main", 0, ContainerRunState.Running));

        var commands = Assert.Single(Plan(pod, [dead, done, app]).Work).Commands;

        Assert.Equal(app.Id, Assert.Single(commands.OfType<StopContainerCommand>()).Instance.Id);
        Assert.Single(commands.OfType<CreateSandboxCommand>());
        var create = Assert.Single(commands.OfType<CreateContainerCommand>());
        Assert.Equal(("first", 1, (string?)null), (create.ContainerName, create.Attempt, create.SandboxId));
    }

    [Fact]
    public void Plan_InitCompletedInAnOlderSandbox_RunsAgainInTheCurrentOne()
    {
        var pod = Build(Inits("first"));
        var sandbox = TestPods.Sandbox(pod);
        var old = TestPods.Instance(pod, "first", 0, ContainerRunState.Exited) is var i ? i with { Labels = new Dictionary<string, string>(i.Labels) { [ContainerLabels.SandboxId] = "older" } } : null!;

        var create = Assert.IsType<CreateContainerCommand>(Assert.Single(Assert.Single(Plan(pod, [sandbox, old]).Work).Commands));

        Assert.Equal(("first", 1, sandbox.Id), (create.ContainerName, create.Attempt, create.SandboxId));
    }

    [Fact]
    public void Plan_SidecarRunningButNotStarted_NextInitContainerWaits()
    {
        var pod = Build([Sidecar("proxy", startupProbe: true), Init("migrate")]);
        var sandbox = TestPods.Sandbox(pod);
        var proxy = TestPods.Joined(sandbox, TestPods.Instance(pod, "proxy", 0, ContainerRunState.Running));

        Assert.Empty(Plan(pod, [sandbox, proxy]).Work);
    }

    [Fact]
    public void Plan_SidecarStarted_NextInitContainerCreated()
    {
        var pod = Build([Sidecar("proxy", startupProbe: true), Init("migrate")]);
        var sandbox = TestPods.Sandbox(pod);
        var proxy = TestPods.Joined(sandbox, TestPods.Instance(pod, "proxy", 0, ContainerRunState.Running));
        var probes = new StubProbeResults().Set(proxy.Id, ProbeKind.Startup, ProbeResult.Success);

        var create = Assert.IsType<CreateContainerCommand>(Assert.Single(Assert.Single(Plan(pod, [sandbox, proxy], probes).Work).Commands));

        Assert.Equal("migrate", create.ContainerName);
    }

    [Fact]
    public void Plan_SidecarWithoutStartupProbeRunning_AppContainersCreated()
    {
        var pod = Build([Sidecar("proxy")]);
        var sandbox = TestPods.Sandbox(pod);

        var create = Assert.IsType<CreateContainerCommand>(Assert.Single(Assert.Single(Plan(pod, [sandbox, TestPods.Joined(sandbox, TestPods.Instance(pod, "proxy", 0, ContainerRunState.Running))]).Work).Commands));

        Assert.Equal(("main", ContainerKind.App), (create.ContainerName, create.Container.Kind));
    }

    [Fact]
    public void Plan_SidecarExitedWhileTheAppRuns_RestartedAndTheAppLeftAlone()
    {
        var pod = Build([Sidecar("proxy")]);
        var sandbox = TestPods.Sandbox(pod);
        var exited = TestPods.Joined(sandbox, TestPods.Instance(pod, "proxy", 0, ContainerRunState.Exited, exitCode: 137, finishedAt: _time.GetUtcNow()));

        var plan = Plan(pod, [sandbox, exited, TestPods.Joined(sandbox, TestPods.Instance(pod, "main", 0, ContainerRunState.Running))]);

        var create = Assert.IsType<CreateContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands));
        Assert.Equal(("proxy", 1, exited.FinishedAt), (create.ContainerName, create.Attempt, create.RestartOf));
    }

    [Fact]
    public void Plan_SidecarFailedLiveness_Killed()
    {
        var pod = Build([Sidecar("proxy", livenessProbe: true)]);
        var sandbox = TestPods.Sandbox(pod);
        var proxy = TestPods.Joined(sandbox, TestPods.Instance(pod, "proxy", 0, ContainerRunState.Running));
        var probes = new StubProbeResults().Set(proxy.Id, ProbeKind.Liveness, ProbeResult.Failure);

        var plan = Plan(pod, [sandbox, proxy, TestPods.Joined(sandbox, TestPods.Instance(pod, "main", 0, ContainerRunState.Running))], probes);

        Assert.Equal(proxy.Id, Assert.IsType<KillContainerCommand>(Assert.Single(Assert.Single(plan.Work).Commands)).Instance.Id);
    }

    [Fact]
    public void Plan_TerminatingPodWithSidecars_AppsFirstThenSidecarsInReverseThenTheSandbox()
    {
        var pod = Build([Sidecar("first-sidecar"), Init("setup"), Sidecar("second-sidecar")], "main", "other");
        var sandbox = TestPods.Sandbox(pod);
        var instances = new[] { "first-sidecar", "setup", "second-sidecar", "main", "other" }
            .Select(n => TestPods.Joined(sandbox, TestPods.Instance(pod, n, 0, n == "setup" ? ContainerRunState.Exited : ContainerRunState.Running))).Append(sandbox).ToList();
        var terminating = ContainerSpecBuilder.Build(TestPods.Terminating(pod.Pod, gracePeriodSeconds: 20), TestPods.Node);

        var stops = Assert.Single(Plan(terminating, instances).Work).Commands.Cast<StopContainerCommand>().ToList();

        Assert.Equal(
            [("setup", 0), ("main", 0), ("other", 0), ("second-sidecar", 1), ("first-sidecar", 2), (ContainerLabels.SandboxContainerName, int.MaxValue)],
            stops.Select(s => (s.ContainerName, s.Order)));
        Assert.All(stops.SkipLast(1), s => Assert.Equal(TimeSpan.FromSeconds(20), s.GracePeriod));
        Assert.Equal(TimeSpan.Zero, stops[^1].GracePeriod);
    }

    private ReconcilePlan Plan(DesiredPod pod, IReadOnlyList<RuntimeContainer> actual, IProbeResults? probes = null) =>
        PodPlanner.Plan([pod], actual, authoritative: true, _restarts, probes);

    private static DesiredPod Build(IEnumerable<Container> inits, string app = "main", string? second = null, Action<Pod>? configure = null)
    {
        var containers = second is null ? new[] { TestPods.Container(app) } : [TestPods.Container(app), TestPods.Container(second)];
        var pod = TestPods.Pod(containers: containers);
        pod.Spec.InitContainers.AddRange(inits);
        configure?.Invoke(pod);
        return ContainerSpecBuilder.Build(pod, TestPods.Node);
    }

    private static Container[] Inits(params string[] names) => [.. names.Select(Init)];

    private static Container Init(string name) => TestPods.Container(name, "busybox:latest");

    private static Container Sidecar(string name, bool startupProbe = false, bool livenessProbe = false)
    {
        var sidecar = TestPods.Container(name, "busybox:latest");
        sidecar.RestartPolicy = "Always";
        if (startupProbe)
        {
            sidecar.StartupProbe = new Probe { Exec = new ExecAction { Command = { "true" } } };
        }

        if (livenessProbe)
        {
            sidecar.LivenessProbe = new Probe { Exec = new ExecAction { Command = { "true" } } };
        }

        return sidecar;
    }
}
