using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Desired;
using HostDaemons.Agent.Events;
using HostDaemons.Agent.Policy;
using HostDaemons.Agent.Probes;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.StaticPods;
using HostDaemons.Agent.Status;
using HostDaemons.Agent.Volumes;
using HostDaemons.Api.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.TestServices;

/// <summary>
/// One "agent process" without Docker or a control plane: the reconciler, pod workers, restart tracker, probe
/// manager (over a <see cref="FakeProber"/>), status reporter and assignments, wired as the host wires them, over a
/// <see cref="FakeContainerRuntime"/> and a state directory. <see cref="Restart"/> makes a new process over the same
/// engine and state.
/// </summary>
internal sealed class AgentHarness : IDisposable
{
    public static readonly DateTimeOffset Epoch = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public AgentHarness(FakeContainerRuntime runtime, string stateDir, FakeTimeProvider time, Func<NodeContext, HostPolicy>? hostPolicy = null)
    {
        Runtime = runtime;
        StateDir = stateDir;
        Time = time;
        var options = Options.Create(new AgentOptions { NodeName = TestPods.Node, StateDir = stateDir });
        Signal = new ReconcileSignal(time);
        Assigned = new AssignedPods(options, Signal, NullLogger<AssignedPods>.Instance);
        Restarts = new RestartTracker(time);
        Node = new NodeContext(TestPods.Node, "192.0.2.10", Path.Combine(stateDir, "pods"), null);
        Volumes = new PodVolumes(Node, NullLogger<PodVolumes>.Instance);
        ProjectedVolumes = new ProjectedVolumes(Node, new AtomicWriter(time), NullLogger<ProjectedVolumes>.Instance);
        Events = new PodEventRecorder(time, NullLogger<PodEventRecorder>.Instance);
        Preparer = new ContainerPreparer(Node, ProjectedVolumes, Allocatable, Objects, Events);
        Workers = new PodWorkers(runtime, Volumes, Restarts, Signal, NullLogger<PodWorkers>.Instance, events: Events, preparer: Preparer, hostPolicy: hostPolicy?.Invoke(Node));
        Reporter = new StatusReporter();
        Prober = new FakeProber(time);
        Probes = new ProbeManager(Prober, Signal, Events, time, NullLogger<ProbeManager>.Instance);
        StaticPods = new StaticPodSet(Signal);
        StaticPods.Replace([], []);
        TerminationMessages = new TerminationMessages(runtime, Signal, time, NullLogger<TerminationMessages>.Instance);
        Reconciler = new Reconciler(Assigned, runtime, Node, Volumes, Workers, Restarts, Probes, Reporter, Signal, time, options, Lifetime, NullLogger<Reconciler>.Instance,
            staticPods: StaticPods, podData: new PodDataRefresh(Objects, ProjectedVolumes, Preparer, Restarts, Allocatable), terminationMessages: TerminationMessages);
    }

    public FakeContainerRuntime Runtime { get; }

    public NodeContext Node { get; }

    public PodVolumes Volumes { get; }

    public ProjectedVolumes ProjectedVolumes { get; }

    /// <summary>The ConfigMaps and Secrets pods see.</summary>
    public FakeReferencedObjects Objects { get; } = new();

    public NodeAllocatable Allocatable { get; } = new(CpuMillis: 2000, MemoryBytes: 4L << 30, EphemeralStorageBytes: 50L << 30);

    public ContainerPreparer Preparer { get; }

    public TerminationMessages TerminationMessages { get; }

    public TestHostApplicationLifetime Lifetime { get; } = new();

    public string StateDir { get; }

    public FakeTimeProvider Time { get; }

    public ReconcileSignal Signal { get; }

    public AssignedPods Assigned { get; }

    /// <summary>The static pods: listed and empty, as after reading an empty manifest directory.</summary>
    public StaticPodSet StaticPods { get; }

    public RestartTracker Restarts { get; }

    public PodWorkers Workers { get; }

    public StatusReporter Reporter { get; }

    public FakeProber Prober { get; }

    public PodEventRecorder Events { get; }

    public ProbeManager Probes { get; }

    public Reconciler Reconciler { get; }

    /// <param name="stateDir">The agent's state directory.</param>
    /// <param name="hostPolicy">The host policy its pod workers admit containers with, made for its node; none when null.</param>
    public static AgentHarness Create(TempDirectory stateDir, Func<NodeContext, HostPolicy>? hostPolicy = null)
    {
        var time = new FakeTimeProvider(Epoch);
        return new AgentHarness(new FakeContainerRuntime(time), stateDir.Path, time, hostPolicy);
    }

    /// <summary>A new agent process over the same engine, state directory and clock.</summary>
    public AgentHarness Restart() => new(Runtime, StateDir, Time);

    /// <summary>One reconcile pass, without waiting for the work it starts.</summary>
    public Task ReconcileAsync() => Reconciler.ReconcileOnceAsync(TestPods.Node, TestContext.Current.CancellationToken);

    /// <summary>One reconcile pass and all the work it started.</summary>
    public async Task PassAsync()
    {
        await ReconcileAsync().DefaultTimeout();
        await Workers.DrainAsync().DefaultTimeout();
    }

    /// <summary>
    /// The reports waiting to be sent, without waiting for more (empty when nothing changed), taken as the control
    /// plane session takes a batch it then sends successfully.
    /// </summary>
    public async Task<IReadOnlyList<PodStatusReport>> TakeReportsAsync()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        try
        {
            return await Reporter.TakeAsync(cancelled.Token).DefaultTimeout();
        }
        catch (OperationCanceledException)
        {
            return [];
        }
    }

    /// <summary>The events waiting to be sent, without waiting for more (empty when there are none).</summary>
    public async Task<IReadOnlyList<PodEvent>> TakeEventsAsync()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        try
        {
            return await Events.TakeAsync(cancelled.Token).DefaultTimeout();
        }
        catch (OperationCanceledException)
        {
            return [];
        }
    }

    /// <summary>The newest status offered for <paramref name="podUid"/> among the waiting reports.</summary>
    public async Task<PodStatusReport> TakeReportAsync(string podUid)
    {
        var reports = await TakeReportsAsync();
        return Assert.Single(reports, r => r.Pod.Uid == podUid);
    }

    public void Dispose()
    {
        Reconciler.Dispose();
        Probes.Dispose();
        Lifetime.Dispose();
    }
}
