using Google.Protobuf.WellKnownTypes;
using HostDaemons.Agent.Events;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Api.V1;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.Events;

/// <summary>The agent's pod events: aggregated repeats, batches in first-seen order, requeue, a bounded backlog.</summary>
public sealed class PodEventRecorderTests
{
    private readonly FakeTimeProvider _time = new(AgentHarness.Epoch);
    private readonly FakeLogger<PodEventRecorder> _logger = new();
    private readonly PodEventRecorder _events;
    private readonly Pod _pod = TestPods.Pod();

    public PodEventRecorderTests()
    {
        _events = new PodEventRecorder(_time, _logger);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Normal_PodEvent_IsTakenWithItsPodKeyAndTime()
    {
        _events.Normal(_pod, "Pulling", "Pulling image \"busybox\"");

        var e = Assert.Single(await Take());

        Assert.Equal(new PodKey { Namespace = TestPods.Namespace, Name = _pod.Metadata.Name, Uid = _pod.Metadata.Uid }, e.Pod);
        Assert.Equal("Normal", e.Type);
        Assert.Equal("Pulling", e.Reason);
        Assert.Equal("Pulling image \"busybox\"", e.Message);
        Assert.Equal("", e.FieldPath);
        Assert.Equal(1, e.Count);
        Assert.Equal(Timestamp.FromDateTimeOffset(AgentHarness.Epoch), e.FirstTimestamp);
        Assert.Equal(e.FirstTimestamp, e.LastTimestamp);
    }

    [Fact]
    public async Task Warning_ContainerEvent_HasTheContainersFieldPath()
    {
        _events.Warning(_pod, "BackOff", "Back-off restarting failed container", "main");

        var e = Assert.Single(await Take());

        Assert.Equal("Warning", e.Type);
        Assert.Equal("spec.containers{main}", e.FieldPath);
    }

    [Fact]
    public async Task Warning_Repeats_AggregateCountAndLastTimestamp()
    {
        _events.Warning(_pod, "BackOff", "Back-off", "main");
        _time.Advance(TimeSpan.FromSeconds(10));
        _events.Warning(_pod, "BackOff", "Back-off", "main");
        _time.Advance(TimeSpan.FromSeconds(20));
        _events.Warning(_pod, "BackOff", "Back-off", "main");

        var e = Assert.Single(await Take());

        Assert.Equal(3, e.Count);
        Assert.Equal(Timestamp.FromDateTimeOffset(AgentHarness.Epoch), e.FirstTimestamp);
        Assert.Equal(Timestamp.FromDateTimeOffset(AgentHarness.Epoch.AddSeconds(30)), e.LastTimestamp);
    }

    [Fact]
    public async Task NormalAndWarning_DifferentTypeReasonMessageContainerOrPod_AreSeparateEvents()
    {
        var other = TestPods.Pod(name: "fluentd-other", uid: "uid-other");
        _events.Normal(_pod, "Started", "Started container main", "main");
        _events.Warning(_pod, "Started", "Started container main", "main");
        _events.Normal(_pod, "Created", "Started container main", "main");
        _events.Normal(_pod, "Started", "Started container sidecar", "main");
        _events.Normal(_pod, "Started", "Started container main", "sidecar");
        _events.Normal(_pod, "Started", "Started container main");
        _events.Normal(other, "Started", "Started container main", "main");

        var batch = await Take();

        Assert.Equal(7, batch.Count);
        Assert.All(batch, e => Assert.Equal(1, e.Count));
    }

    [Fact]
    public async Task Take_SeveralEvents_ReturnsThemInFirstSeenOrder()
    {
        _events.Normal(_pod, "Pulling", "a", "main");
        _events.Normal(_pod, "Pulled", "b", "main");
        _events.Normal(_pod, "Pulling", "a", "main");
        _events.Normal(_pod, "Created", "c", "main");
        _events.Normal(_pod, "Pulled", "b", "main");

        var batch = await Take();

        Assert.Equal(["Pulling", "Pulled", "Created"], batch.Select(e => e.Reason));
        Assert.Equal([2, 2, 1], batch.Select(e => e.Count));
    }

    [Fact]
    public async Task Take_NothingPending_WaitsForTheNextEvent()
    {
        var take = _events.TakeAsync(Token);
        Assert.False(take.IsCompleted);

        _events.Normal(_pod, "Killing", "Stopping container main", "main");

        var e = Assert.Single(await take.DefaultTimeout());
        Assert.Equal("Killing", e.Reason);
    }

    [Fact]
    public async Task Take_AfterABatch_WaitsForNewEvents()
    {
        _events.Normal(_pod, "Pulled", "x");
        await Take();

        var next = _events.TakeAsync(Token);

        Assert.False(next.IsCompleted);
        _events.Normal(_pod, "Pulled", "x");
        Assert.Equal(1, Assert.Single(await next.DefaultTimeout()).Count);
    }

    [Fact]
    public async Task Take_Cancelled_Throws()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var take = _events.TakeAsync(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => take.DefaultTimeout());
    }

    [Fact]
    public async Task Take_ReturnsCopies_LaterRepeatsDoNotChangeATakenBatch()
    {
        _events.Normal(_pod, "Pulled", "x");
        var batch = await Take();

        _events.Normal(_pod, "Pulled", "x");

        Assert.Equal(1, Assert.Single(batch).Count);
        Assert.Equal(1, Assert.Single(await Take()).Count);
    }

    [Fact]
    public async Task Requeue_UnsentBatch_IsTakenAgain()
    {
        _events.Normal(_pod, "Pulling", "a", "main");
        _events.Warning(_pod, "Failed", "b", "main");
        _events.Warning(_pod, "Failed", "b", "main");
        var batch = await Take();

        _events.Requeue(batch);

        var again = await Take();
        Assert.Equal(batch, again);
        Assert.Equal([1, 2], again.Select(e => e.Count));
    }

    [Fact]
    public async Task Requeue_WakesAWaitingTake()
    {
        _events.Normal(_pod, "Pulled", "x");
        var batch = await Take();
        var waiting = _events.TakeAsync(Token);
        Assert.False(waiting.IsCompleted);

        _events.Requeue(batch);

        Assert.Equal(batch, await waiting.DefaultTimeout());
    }

    [Fact]
    public async Task Requeue_EventRepeatedMeanwhile_AddsTheCounts()
    {
        _events.Warning(_pod, "BackOff", "Back-off", "main");
        _events.Warning(_pod, "BackOff", "Back-off", "main");
        var batch = await Take();
        _time.Advance(TimeSpan.FromSeconds(30));
        _events.Warning(_pod, "BackOff", "Back-off", "main");

        _events.Requeue(batch);

        Assert.Equal(3, Assert.Single(await Take()).Count);
    }

    [Fact]
    public async Task Requeue_EventRepeatedMeanwhile_KeepsEarliestFirstAndLatestLastTimestamp()
    {
        _events.Warning(_pod, "BackOff", "Back-off", "main");
        var batch = await Take();
        _time.Advance(TimeSpan.FromSeconds(30));
        _events.Warning(_pod, "BackOff", "Back-off", "main");

        _events.Requeue(batch);

        var e = Assert.Single(await Take());
        Assert.Equal(Timestamp.FromDateTimeOffset(AgentHarness.Epoch), e.FirstTimestamp);
        Assert.Equal(Timestamp.FromDateTimeOffset(AgentHarness.Epoch.AddSeconds(30)), e.LastTimestamp);
    }

    [Fact]
    public async Task Normal_MoreThanAThousandDistinctEvents_DropsTheOldest()
    {
        for (var i = 0; i < 1005; i++)
        {
            _events.Normal(_pod, "Pulled", $"event {i}");
        }

        var batch = await Take();

        Assert.Equal(1000, batch.Count);
        Assert.Equal("event 5", batch[0].Message);
        Assert.Equal("event 1004", batch[^1].Message);
    }

    [Fact]
    public async Task Normal_ExactlyAThousandEvents_KeepsAll()
    {
        for (var i = 0; i < 1000; i++)
        {
            _events.Normal(_pod, "Pulled", $"event {i}");
        }

        var batch = await Take();

        Assert.Equal(1000, batch.Count);
        Assert.Equal("event 0", batch[0].Message);
    }

    [Fact]
    public async Task Warning_RepeatsOfAPendingEvent_DoNotCountAgainstTheBound()
    {
        for (var i = 0; i < 5000; i++)
        {
            _events.Warning(_pod, "BackOff", "Back-off", "main");
        }

        _events.Normal(_pod, "Pulled", "other");

        var batch = await Take();
        Assert.Equal(2, batch.Count);
        Assert.Equal(5000, batch[0].Count);
    }

    [Fact]
    public async Task Requeue_PastTheBound_DropsTheOldestPending()
    {
        _events.Normal(_pod, "Pulled", "unsent");
        var batch = await Take();
        for (var i = 0; i < 1000; i++)
        {
            _events.Normal(_pod, "Pulled", $"event {i}");
        }

        _events.Requeue(batch);

        var pending = await Take();
        Assert.Equal(1000, pending.Count);
        Assert.DoesNotContain(pending, e => e.Message == "event 0");
        Assert.Equal("unsent", pending[^1].Message);
    }

    [Fact]
    public async Task Normal_ContainerFromTheEngine_UsesItsLabels()
    {
        var desired = ContainerSpecBuilder.Build(_pod, TestPods.Node).Containers[0];
        var instance = TestPods.Instance(desired, 0, ContainerRunState.Running);

        _events.Normal(instance, "Killing", "Stopping container main");

        var e = Assert.Single(await Take());
        Assert.Equal(new PodKey { Namespace = TestPods.Namespace, Name = _pod.Metadata.Name, Uid = _pod.Metadata.Uid }, e.Pod);
        Assert.Equal("spec.containers{main}", e.FieldPath);
        Assert.Equal("Normal", e.Type);
    }

    [Fact]
    public async Task Normal_ContainerWithoutPodUidLabel_IsIgnored()
    {
        var stranger = new RuntimeContainer { Id = "x", Name = "not-ours", Labels = new Dictionary<string, string> { [ContainerLabels.Pod] = "p" } };

        _events.Normal(stranger, "Killing", "Stopping container");

        var take = _events.TakeAsync(Token);
        Assert.False(take.IsCompleted);
        _events.Normal(_pod, "Pulled", "mine");
        Assert.Equal("mine", Assert.Single(await take.DefaultTimeout()).Message);
    }

    [Fact]
    public void NormalAndWarning_Events_AreLoggedAtTheirLevel()
    {
        _events.Normal(_pod, "Pulled", "Successfully pulled image");
        _events.Warning(_pod, "Failed", "Error: ErrImagePull", "main");

        var records = _logger.Collector.GetSnapshot();
        Assert.Equal([LogLevel.Information, LogLevel.Warning], records.Select(r => r.Level));
        Assert.Equal($"Pod {TestPods.Namespace}/{_pod.Metadata.Name}: Pulled: Successfully pulled image", records[0].Message);
        Assert.Equal($"Pod {TestPods.Namespace}/{_pod.Metadata.Name}: Failed: Error: ErrImagePull", records[1].Message);
    }

    private Task<IReadOnlyList<PodEvent>> Take() => _events.TakeAsync(Token).DefaultTimeout();
}
