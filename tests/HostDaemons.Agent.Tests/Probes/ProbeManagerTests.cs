using HostDaemons.Agent.Events;
using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Probes;

/// <summary>Probe workers on the test's clock: delays, periods, thresholds, startup gating and instance changes.</summary>
public sealed class ProbeManagerTests : IDisposable
{
    private const string Uid = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

    private static readonly DateTimeOffset s_start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(s_start);
    private readonly FakeProber _prober;
    private readonly ReconcileSignal _signal;
    private readonly PodEventRecorder _events;
    private readonly ProbeManager _manager;

    public ProbeManagerTests()
    {
        _prober = new FakeProber(_time);
        _signal = new ReconcileSignal(_time);
        _events = new PodEventRecorder(_time, NullLogger<PodEventRecorder>.Instance);
        _manager = new ProbeManager(_prober, _signal, _events, _time, NullLogger<ProbeManager>.Instance);
    }

    public void Dispose() => _manager.Dispose();

    [Fact]
    public async Task Sync_RunningContainerWithReadiness_NotReadyUntilFirstSuccess()
    {
        _prober.Manual = true;
        var pod = Pod(readiness: Probe());
        var instance = Running(pod);

        _manager.Sync([pod], [instance]);
        var first = await _prober.NextAsync(ProbeKind.Readiness);

        Assert.Equal(s_start, first.Call.At);
        Assert.True(_manager.IsStarted(pod.Containers[0].Container, instance));
        Assert.False(_manager.IsReady(pod.Containers[0].Container, instance));
        first.Answer(ProbeResult.Success);
        await WaitForAsync(() => _manager.IsReady(pod.Containers[0].Container, instance), "the container to be ready");
    }

    [Fact]
    public async Task Sync_InitialDelay_FirstRunAfterTheDelayThenEveryPeriod()
    {
        var pod = Pod(readiness: Probe(period: 10, initialDelay: 5));

        _manager.Sync([pod], [Running(pod)]);
        _time.Advance(TimeSpan.FromSeconds(4));
        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(() => _prober.Count(ProbeKind.Readiness) == 1, "the first run");
        _time.Advance(TimeSpan.FromSeconds(10));
        await WaitForAsync(() => _prober.Count(ProbeKind.Readiness) == 2, "the second run");
        _time.Advance(TimeSpan.FromSeconds(10));
        await WaitForAsync(() => _prober.Count(ProbeKind.Readiness) == 3, "the third run");

        Assert.Equal([5, 15, 25], _prober.Calls.Select(c => (c.At - s_start).TotalSeconds));
    }

    [Fact]
    public async Task Sync_ContainerStartedLongAgo_InitialDelayCountsFromItsStart()
    {
        var pod = Pod(readiness: Probe(period: 10, initialDelay: 30));
        var instance = Running(pod) with { StartedAt = s_start.AddSeconds(-20) };

        _manager.Sync([pod], [instance]);
        _time.Advance(TimeSpan.FromSeconds(10));
        await WaitForAsync(() => _prober.Count(ProbeKind.Readiness) == 1, "the first run");

        Assert.Equal(s_start.AddSeconds(10), Assert.Single(_prober.Calls).At);
    }

    [Fact]
    public async Task Readiness_FailureThreshold_FlipsOnlyOnTheThirdFailureInARow()
    {
        _prober.Manual = true;
        var pod = Pod(readiness: Probe(period: 10, failure: 3));
        var instance = Running(pod);
        _manager.Sync([pod], [instance]);

        var results = new List<ProbeResult?>();
        foreach (var answer in new[] { ProbeResult.Success, ProbeResult.Failure, ProbeResult.Failure, ProbeResult.Success, ProbeResult.Failure, ProbeResult.Failure, ProbeResult.Failure })
        {
            var run = await _prober.NextAsync(ProbeKind.Readiness);
            results.Add(_manager.Get(instance.Id, ProbeKind.Readiness));
            run.Answer(answer);
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        await _prober.NextAsync(ProbeKind.Readiness);
        results.Add(_manager.Get(instance.Id, ProbeKind.Readiness));

        // Before each run: the initial failure, then success held through two failures and a success that resets the run.
        Assert.Equal(
            [ProbeResult.Failure, ProbeResult.Success, ProbeResult.Success, ProbeResult.Success, ProbeResult.Success, ProbeResult.Success, ProbeResult.Success, ProbeResult.Failure],
            results);
    }

    [Fact]
    public async Task Readiness_SuccessThreshold_FlipsOnlyOnTheSecondSuccessInARow()
    {
        _prober.Manual = true;
        var pod = Pod(readiness: Probe(period: 10, success: 2));
        var instance = Running(pod);
        _manager.Sync([pod], [instance]);

        var results = new List<ProbeResult?>();
        foreach (var answer in new[] { ProbeResult.Success, ProbeResult.Failure, ProbeResult.Success, ProbeResult.Success })
        {
            var run = await _prober.NextAsync(ProbeKind.Readiness);
            results.Add(_manager.Get(instance.Id, ProbeKind.Readiness));
            run.Answer(answer);
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        await _prober.NextAsync(ProbeKind.Readiness);
        results.Add(_manager.Get(instance.Id, ProbeKind.Readiness));

        Assert.Equal([ProbeResult.Failure, ProbeResult.Failure, ProbeResult.Failure, ProbeResult.Failure, ProbeResult.Success], results);
    }

    [Fact]
    public async Task Liveness_FailsThreshold_FailsAndStopsProbingTheInstance()
    {
        _prober.Answer(ProbeKind.Liveness, ProbeResult.Failure);
        var pod = Pod(liveness: Probe(period: 10, failure: 3));
        var instance = Running(pod);

        _manager.Sync([pod], [instance]);
        Assert.Equal(ProbeResult.Success, _manager.Get(instance.Id, ProbeKind.Liveness));
        for (var run = 1; run <= 3; run++)
        {
            await WaitForAsync(() => _prober.Count(ProbeKind.Liveness) == run, $"run {run}");
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        await _manager.DrainAsync().DefaultTimeout();

        Assert.Equal(ProbeResult.Failure, _manager.Get(instance.Id, ProbeKind.Liveness));
        Assert.Equal(3, _prober.Count(ProbeKind.Liveness));
        Assert.Equal(ProbeKind.Liveness, _manager.FailedProbe(pod.Containers[0].Container, instance)?.Kind);

        // As the kubelet records them: each failed run, then the kill, on the container's field path.
        var events = await _events.TakeAsync(TestContext.Current.CancellationToken).DefaultTimeout();
        Assert.Equal(
            [("Warning", "Unhealthy", "Liveness probe failed: Liveness check failed", 3), ("Normal", "Killing", "Container main failed liveness probe, will be restarted", 1)],
            events.Select(e => (e.Type, e.Reason, e.Message, e.Count)));
        Assert.All(events, e => Assert.Equal("spec.containers{main}", e.FieldPath));
    }

    [Fact]
    public async Task Liveness_ResultChanges_WakesTheReconciler()
    {
        _prober.Answer(ProbeKind.Liveness, ProbeResult.Failure);
        var pod = Pod(liveness: Probe(failure: 1));

        _manager.Sync([pod], [Running(pod)]);

        await _signal.WaitAsync(TimeSpan.FromDays(1), TestContext.Current.CancellationToken).DefaultTimeout();
        Assert.Equal(1, _prober.Count(ProbeKind.Liveness));
    }

    [Fact]
    public async Task Startup_NotYetSucceeded_LivenessAndReadinessWaitAndContainerNotStarted()
    {
        _prober.Manual = true;
        // Periods that never tick together, so which worker sees the startup result first is never a race.
        var pod = Pod(readiness: Probe(period: 10), liveness: Probe(period: 10), startup: Probe(period: 3, failure: 30));
        var instance = Running(pod);
        var spec = pod.Containers[0].Container;
        _manager.Sync([pod], [instance]);

        for (var run = 0; run < 3; run++)
        {
            (await _prober.NextAsync(ProbeKind.Startup)).Answer(ProbeResult.Failure);
            Assert.False(_manager.IsStarted(spec, instance));
            Assert.False(_manager.IsReady(spec, instance));
            _time.Advance(TimeSpan.FromSeconds(3));
        }

        var success = await _prober.NextAsync(ProbeKind.Startup);
        success.Answer(ProbeResult.Success);
        var readiness = await _prober.NextAsync(ProbeKind.Readiness);
        Assert.True(_manager.IsStarted(spec, instance));
        readiness.Answer(ProbeResult.Success);
        _time.Advance(TimeSpan.FromSeconds(1));
        var liveness = await _prober.NextAsync(ProbeKind.Liveness);
        liveness.Answer(ProbeResult.Success);

        // Readiness ran at once when startup passed, liveness by its next tick, neither before.
        Assert.Equal(s_start.AddSeconds(9), success.Call.At);
        Assert.Equal(s_start.AddSeconds(9), readiness.Call.At);
        Assert.InRange(liveness.Call.At, s_start.AddSeconds(9), s_start.AddSeconds(10));
        Assert.Equal(4, _prober.Count(ProbeKind.Startup));
        await WaitForAsync(() => _manager.IsReady(spec, instance), "the container to be ready");
    }

    [Fact]
    public async Task Startup_PassesBeforeTheReadinessDelay_ReadinessStillWaitsForItsDelay()
    {
        _prober.Manual = true;
        var pod = Pod(readiness: Probe(period: 10, initialDelay: 20), startup: Probe(period: 3));
        var instance = Running(pod);
        _manager.Sync([pod], [instance]);

        (await _prober.NextAsync(ProbeKind.Startup)).Answer(ProbeResult.Success);
        await WaitForAsync(() => _manager.IsStarted(pod.Containers[0].Container, instance), "the container to be started");
        _time.Advance(TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(10));
        var readiness = await _prober.NextAsync(ProbeKind.Readiness);

        Assert.Equal(s_start.AddSeconds(20), readiness.Call.At);
        readiness.Answer(ProbeResult.Success);
    }

    [Fact]
    public async Task Startup_Succeeds_StopsRunning()
    {
        var pod = Pod(startup: Probe(period: 10));
        var instance = Running(pod);

        _manager.Sync([pod], [instance]);
        await _manager.DrainAsync().DefaultTimeout();
        _time.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(1, _prober.Count(ProbeKind.Startup));
        Assert.True(_manager.IsStarted(pod.Containers[0].Container, instance));
        Assert.True(_manager.IsReady(pod.Containers[0].Container, instance));
    }

    [Fact]
    public async Task Startup_FailsThreshold_FailsAndLivenessNeverRuns()
    {
        _prober.Answer(ProbeKind.Startup, ProbeResult.Failure);
        var pod = Pod(liveness: Probe(period: 10), startup: Probe(period: 10, failure: 2));
        var instance = Running(pod);

        _manager.Sync([pod], [instance]);
        await WaitForAsync(() => _prober.Count(ProbeKind.Startup) == 1, "the first startup run");
        _time.Advance(TimeSpan.FromSeconds(10));
        await WaitForAsync(() => _manager.Get(instance.Id, ProbeKind.Startup) == ProbeResult.Failure, "the startup probe to fail");

        Assert.Equal(ProbeKind.Startup, _manager.FailedProbe(pod.Containers[0].Container, instance)?.Kind);
        Assert.False(_manager.IsStarted(pod.Containers[0].Container, instance));
        Assert.Equal(0, _prober.Count(ProbeKind.Liveness));
    }

    [Fact]
    public async Task Prober_Throws_CountsAsFailure()
    {
        _prober.Failure = new InvalidOperationException("boom");
        var pod = Pod(liveness: Probe(failure: 1));
        var instance = Running(pod);

        _manager.Sync([pod], [instance]);

        await WaitForAsync(() => _manager.Get(instance.Id, ProbeKind.Liveness) == ProbeResult.Failure, "the liveness probe to fail");
    }

    [Fact]
    public async Task Sync_NewInstance_StartsFromScratch()
    {
        var pod = Pod(readiness: Probe(period: 10));
        var first = Running(pod);
        _manager.Sync([pod], [first]);
        await WaitForAsync(() => _manager.Get(first.Id, ProbeKind.Readiness) == ProbeResult.Success, "the first instance to be ready");
        _prober.Manual = true;
        var exited = first with { State = ContainerRunState.Exited, Pid = 0, FinishedAt = s_start };
        var second = Running(pod, attempt: 1);

        _manager.Sync([pod], [exited, second]);
        var run = await _prober.NextAsync(ProbeKind.Readiness);

        Assert.Equal(second.Id, run.Call.ContainerId);
        Assert.Null(_manager.Get(first.Id, ProbeKind.Readiness));
        Assert.Equal(ProbeResult.Failure, _manager.Get(second.Id, ProbeKind.Readiness));
        Assert.Equal([second.Id], _manager.Probed);
        run.Answer(ProbeResult.Success);
    }

    [Fact]
    public async Task Sync_SameInstanceRestartedByTheEngine_StartsFromScratch()
    {
        var pod = Pod(readiness: Probe(period: 10));
        var instance = Running(pod);
        _manager.Sync([pod], [instance]);
        await WaitForAsync(() => _manager.Get(instance.Id, ProbeKind.Readiness) == ProbeResult.Success, "the instance to be ready");
        _prober.Manual = true;
        _time.Advance(TimeSpan.FromSeconds(3));

        _manager.Sync([pod], [instance with { StartedAt = _time.GetUtcNow(), Pid = 5000 }]);
        var run = await _prober.NextAsync(ProbeKind.Readiness);

        Assert.Equal(s_start.AddSeconds(3), run.Call.At);
        Assert.Equal(ProbeResult.Failure, _manager.Get(instance.Id, ProbeKind.Readiness));
        run.Answer(ProbeResult.Success);
    }

    [Fact]
    public async Task Sync_SameInstanceAgain_KeepsItsWorkersAndResults()
    {
        var pod = Pod(readiness: Probe(period: 10));
        var instance = Running(pod);
        _manager.Sync([pod], [instance]);
        await WaitForAsync(() => _manager.Get(instance.Id, ProbeKind.Readiness) == ProbeResult.Success, "the instance to be ready");

        _manager.Sync([ContainerSpecBuilder.Build(pod.Pod.Clone(), TestPods.Node)], [instance]);

        Assert.Equal(ProbeResult.Success, _manager.Get(instance.Id, ProbeKind.Readiness));
        Assert.Equal(1, _prober.Count(ProbeKind.Readiness));
    }

    [Fact]
    public async Task Sync_ContainerExited_StopsProbingAndForgetsIt()
    {
        var pod = Pod(readiness: Probe(period: 10));
        var instance = Running(pod);
        _manager.Sync([pod], [instance]);
        await WaitForAsync(() => _prober.Count(ProbeKind.Readiness) == 1, "the first run");

        _manager.Sync([pod], [instance with { State = ContainerRunState.Exited, Pid = 0 }]);
        _time.Advance(TimeSpan.FromSeconds(60));

        Assert.Empty(_manager.Probed);
        Assert.Null(_manager.Get(instance.Id, ProbeKind.Readiness));
        Assert.Equal(1, _prober.Count(ProbeKind.Readiness));
    }

    [Fact]
    public void Sync_TerminatingPodOrNoProbes_ProbesNothing()
    {
        var terminating = ContainerSpecBuilder.Build(TestPods.Terminating(Pod(readiness: Probe()).Pod), TestPods.Node);
        var plain = ContainerSpecBuilder.Build(TestPods.Pod(name: "plain", uid: "0a0a0a0a-0000-4000-8000-000000000000"), TestPods.Node);

        _manager.Sync([terminating, plain], [Running(terminating), Running(plain)]);

        Assert.Empty(_manager.Probed);
    }

    private static Probe Probe(int period = 10, int initialDelay = 0, int success = 1, int failure = 3) => new()
    {
        Exec = new ExecAction { Command = { "check" } },
        InitialDelaySeconds = initialDelay,
        TimeoutSeconds = 1,
        PeriodSeconds = period,
        SuccessThreshold = success,
        FailureThreshold = failure,
    };

    private static DesiredPod Pod(Probe? readiness = null, Probe? liveness = null, Probe? startup = null)
    {
        var container = TestPods.Container();
        container.ReadinessProbe = readiness;
        container.LivenessProbe = liveness;
        container.StartupProbe = startup;
        return ContainerSpecBuilder.Build(TestPods.Pod(uid: Uid, containers: [container]), TestPods.Node);
    }

    private RuntimeContainer Running(DesiredPod pod, int attempt = 0) =>
        TestPods.Instance(pod.Containers[0], attempt, ContainerRunState.Running, createdAt: _time.GetUtcNow(), startedAt: _time.GetUtcNow()) with { Pid = 4000 + attempt };

    private static Task WaitForAsync(Func<bool> condition, string because) => AsyncTestHelpers.WaitUntilAsync(condition, because);
}
