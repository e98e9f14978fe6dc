using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Api.V1;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.ControlPlane;

public sealed class StatusReporterTests
{
    private readonly StatusReporter _reporter = new();
    private readonly Pod _pod = TestPods.Pod(name: "fluentd-a", uid: "uid-a");
    private readonly Pod _other = TestPods.Pod(name: "fluentd-b", uid: "uid-b");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Offer_NewStatus_QueuedWithPodKey()
    {
        _reporter.Offer(_pod, Status("Pending"));

        var report = Assert.Single(await _reporter.TakeAsync(Ct).DefaultTimeout());

        Assert.Equal(new PodKey { Namespace = TestPods.Namespace, Name = "fluentd-a", Uid = "uid-a" }, report.Pod);
        Assert.Equal(Status("Pending"), report.Status);
        Assert.False(report.Terminated);
    }

    [Fact]
    public async Task Resend_SomePods_OnlyTheirLatestStatusSentAgain()
    {
        _reporter.Offer(_pod, Status("Running"));
        _reporter.Offer(_other, Status("Running"));
        await _reporter.TakeAsync(Ct).DefaultTimeout();

        _reporter.Resend(["uid-a", "uid-unknown"]);

        var report = Assert.Single(await _reporter.TakeAsync(Ct).DefaultTimeout());
        Assert.Equal(("uid-a", "Running"), (report.Pod.Uid, report.Status.Phase));
    }

    [Fact]
    public async Task Offer_SameStatusTwice_QueuedOnce()
    {
        _reporter.Offer(_pod, Status("Pending"));
        _reporter.Offer(_pod, Status("Pending"));

        Assert.Single(await _reporter.TakeAsync(Ct).DefaultTimeout());
        Assert.Empty(await TakeNowAsync());
    }

    [Fact]
    public async Task Offer_ChangedBeforeTake_OnlyLatestSent()
    {
        _reporter.Offer(_pod, Status("Pending"));
        _reporter.Offer(_pod, Status("Running"));

        var report = Assert.Single(await _reporter.TakeAsync(Ct).DefaultTimeout());

        Assert.Equal("Running", report.Status.Phase);
    }

    [Fact]
    public async Task Offer_SeveralPods_BatchedTogether()
    {
        _reporter.Offer(_pod, Status("Running"));
        _reporter.Offer(_other, Status("Pending"));

        var batch = await _reporter.TakeAsync(Ct).DefaultTimeout();

        Assert.Equal(["uid-a", "uid-b"], batch.Select(r => r.Pod.Uid).Order(StringComparer.Ordinal));
        Assert.Empty(await TakeNowAsync());
    }

    [Fact]
    public async Task Offer_IdenticalAfterTake_NothingQueued()
    {
        _reporter.Offer(_pod, Status("Running"));
        await _reporter.TakeAsync(Ct).DefaultTimeout();

        _reporter.Offer(_pod, Status("Running"));

        Assert.Empty(await TakeNowAsync());
    }

    [Fact]
    public async Task Offer_ChangedAfterTake_Queued()
    {
        _reporter.Offer(_pod, Status("Running"));
        await _reporter.TakeAsync(Ct).DefaultTimeout();

        _reporter.Offer(_pod, Status("Running", ready: false));

        var report = Assert.Single(await TakeNowAsync());
        Assert.Equal("False", report.Status.Conditions[0].Status);
    }

    [Fact]
    public async Task Offer_IdenticalWhileInFlight_NotQueuedButRequeuedWhenSendFails()
    {
        // The batch in flight carries it; if its send fails, the session requeues it.
        _reporter.Offer(_pod, Status("Running"));
        var inFlight = await _reporter.TakeAsync(Ct).DefaultTimeout();

        _reporter.Offer(_pod, Status("Running"));

        Assert.Empty(await TakeNowAsync());
        _reporter.Requeue(inFlight);
        Assert.Equal(Status("Running"), Assert.Single(await TakeNowAsync()).Status);
    }

    [Fact]
    public async Task Offer_RevertedWhileChangeInFlight_QueuedAgain()
    {
        _reporter.Offer(_pod, Status("Running"));
        await _reporter.TakeAsync(Ct).DefaultTimeout();
        _reporter.Offer(_pod, Status("Running", ready: false));
        await _reporter.TakeAsync(Ct).DefaultTimeout();

        _reporter.Offer(_pod, Status("Running"));

        var report = Assert.Single(await TakeNowAsync());
        Assert.Equal(Status("Running"), report.Status);
    }

    [Fact]
    public async Task OfferTerminated_QueuesTerminatedReportOnce()
    {
        _reporter.Offer(_pod, Status("Running"));
        await _reporter.TakeAsync(Ct).DefaultTimeout();

        _reporter.OfferTerminated(_pod);
        var report = Assert.Single(await _reporter.TakeAsync(Ct).DefaultTimeout());
        _reporter.OfferTerminated(_pod);

        Assert.True(report.Terminated);
        Assert.Null(report.Status);
        Assert.Equal("uid-a", report.Pod.Uid);
        Assert.Empty(await TakeNowAsync());
    }

    [Fact]
    public async Task ResendAll_AfterTake_RequeuesLatestOfEveryPod()
    {
        _reporter.Offer(_pod, Status("Pending"));
        await _reporter.TakeAsync(Ct).DefaultTimeout();
        _reporter.Offer(_pod, Status("Running"));
        _reporter.Offer(_other, Status("Pending"));
        await _reporter.TakeAsync(Ct).DefaultTimeout();

        _reporter.ResendAll();

        var batch = await TakeNowAsync();
        Assert.Equal(["uid-a", "uid-b"], batch.Select(r => r.Pod.Uid).Order(StringComparer.Ordinal));
        Assert.Equal("Running", Assert.Single(batch, r => r.Pod.Uid == "uid-a").Status.Phase);
    }

    [Fact]
    public async Task ResendAll_ThenSameOffer_SentOnce()
    {
        _reporter.Offer(_pod, Status("Running"));
        await _reporter.TakeAsync(Ct).DefaultTimeout();

        _reporter.ResendAll();
        _reporter.Offer(_pod, Status("Running"));

        Assert.Single(await TakeNowAsync());
    }

    [Fact]
    public async Task ResendAll_NewerReportPending_KeepsNewer()
    {
        _reporter.Offer(_pod, Status("Pending"));
        await _reporter.TakeAsync(Ct).DefaultTimeout();
        _reporter.Offer(_pod, Status("Running"));

        _reporter.ResendAll();

        Assert.Equal("Running", Assert.Single(await TakeNowAsync()).Status.Phase);
    }

    [Fact]
    public async Task ResendAll_WakesWaitingTake()
    {
        _reporter.Offer(_pod, Status("Running"));
        await _reporter.TakeAsync(Ct).DefaultTimeout();
        var take = _reporter.TakeAsync(Ct);
        Assert.False(take.IsCompleted);

        _reporter.ResendAll();

        Assert.Single(await take.DefaultTimeout());
    }

    [Fact]
    public async Task ResendAll_NothingOffered_NothingToSend()
    {
        _reporter.ResendAll();

        Assert.Empty(await TakeNowAsync());
    }

    [Fact]
    public async Task ResendAll_NothingOffered_TakeKeepsWaiting()
    {
        var take = _reporter.TakeAsync(Ct);

        _reporter.ResendAll();
        Assert.False(take.IsCompleted);
        _reporter.Offer(_pod, Status("Running"));

        Assert.Equal("uid-a", Assert.Single(await take.DefaultTimeout()).Pod.Uid);
    }

    [Fact]
    public async Task Requeue_FailedBatch_SentAgain()
    {
        _reporter.Offer(_pod, Status("Running"));
        var batch = await _reporter.TakeAsync(Ct).DefaultTimeout();

        _reporter.Requeue(batch);

        Assert.Equal(batch, await TakeNowAsync());
    }

    [Fact]
    public async Task Requeue_NewerReportOffered_KeepsNewer()
    {
        _reporter.Offer(_pod, Status("Pending"));
        _reporter.Offer(_other, Status("Pending"));
        var batch = await _reporter.TakeAsync(Ct).DefaultTimeout();
        _reporter.Offer(_pod, Status("Running"));

        _reporter.Requeue(batch);

        var pending = await TakeNowAsync();
        Assert.Equal("Running", Assert.Single(pending, r => r.Pod.Uid == "uid-a").Status.Phase);
        Assert.Equal("Pending", Assert.Single(pending, r => r.Pod.Uid == "uid-b").Status.Phase);
    }

    [Fact]
    public async Task Requeue_SameReportOfferedAgain_SentOnce()
    {
        _reporter.Offer(_pod, Status("Running"));
        var batch = await _reporter.TakeAsync(Ct).DefaultTimeout();
        _reporter.Requeue(batch);

        _reporter.Offer(_pod, Status("Running"));
        _reporter.Requeue(batch);

        Assert.Single(await TakeNowAsync());
    }

    [Fact]
    public async Task Requeue_PodNoLongerRetained_Dropped()
    {
        _reporter.Offer(_pod, Status("Running"));
        var batch = await _reporter.TakeAsync(Ct).DefaultTimeout();
        _reporter.Retain([]);

        _reporter.Requeue(batch);

        Assert.Empty(await TakeNowAsync());
    }

    [Fact]
    public async Task Requeue_WakesWaitingTake()
    {
        _reporter.Offer(_pod, Status("Running"));
        var batch = await _reporter.TakeAsync(Ct).DefaultTimeout();
        var take = _reporter.TakeAsync(Ct);
        Assert.False(take.IsCompleted);

        _reporter.Requeue(batch);

        Assert.Equal(batch, await take.DefaultTimeout());
    }

    [Fact]
    public async Task Offer_NewerWhileBatchInFlight_SentNext()
    {
        _reporter.Offer(_pod, Status("Pending"));
        await _reporter.TakeAsync(Ct).DefaultTimeout();

        _reporter.Offer(_pod, Status("Running"));

        Assert.Equal("Running", Assert.Single(await TakeNowAsync()).Status.Phase);
    }

    [Fact]
    public async Task Retain_DropsPendingAndLatestOfOtherPods()
    {
        _reporter.Offer(_other, Status("Running"));
        await _reporter.TakeAsync(Ct).DefaultTimeout();
        _reporter.Offer(_pod, Status("Running"));
        _reporter.Offer(TestPods.Pod(name: "fluentd-c", uid: "uid-c"), Status("Running"));

        _reporter.Retain(["uid-a", "uid-b"]);

        Assert.Equal("uid-a", Assert.Single(await TakeNowAsync()).Pod.Uid);
        _reporter.Offer(_other, Status("Running"));
        Assert.Empty(await TakeNowAsync());

        _reporter.Retain(["uid-a"]);
        _reporter.Offer(_other, Status("Running"));
        Assert.Equal("uid-b", Assert.Single(await TakeNowAsync()).Pod.Uid);
    }

    [Fact]
    public async Task TakeAsync_NothingPending_WaitsUntilOffer()
    {
        var take = _reporter.TakeAsync(Ct);
        Assert.False(take.IsCompleted);

        _reporter.Offer(_pod, Status("Running"));

        Assert.Equal("uid-a", Assert.Single(await take.DefaultTimeout()).Pod.Uid);
    }

    [Fact]
    public async Task TakeAsync_AfterImmediateTake_WaitsForNextChange()
    {
        _reporter.Offer(_pod, Status("Pending"));
        await _reporter.TakeAsync(Ct).DefaultTimeout();

        var take = _reporter.TakeAsync(Ct);
        Assert.False(take.IsCompleted);
        _reporter.Offer(_pod, Status("Running"));

        Assert.Equal("Running", Assert.Single(await take.DefaultTimeout()).Status.Phase);
    }

    [Fact]
    public async Task TakeAsync_OfferedIdentical_KeepsWaiting()
    {
        _reporter.Offer(_pod, Status("Running"));
        await _reporter.TakeAsync(Ct).DefaultTimeout();
        var take = _reporter.TakeAsync(Ct);

        _reporter.Offer(_pod, Status("Running"));
        Assert.False(take.IsCompleted);
        _reporter.Offer(_other, Status("Running"));

        Assert.Equal("uid-b", Assert.Single(await take.DefaultTimeout()).Pod.Uid);
    }

    [Fact]
    public async Task TakeAsync_Cancelled_Throws()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var take = _reporter.TakeAsync(cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => take).DefaultTimeout();
    }

    [Fact]
    public async Task TakeAsync_ConcurrentOffers_EveryPodDeliveredWithLatestStatus()
    {
        var pods = Enumerable.Range(0, 50).Select(i => TestPods.Pod(name: $"p{i}", uid: $"uid-{i}")).ToList();
        var offers = Task.Run(
            () =>
            {
                foreach (var phase in new[] { "Pending", "Running" })
                {
                    foreach (var pod in pods)
                    {
                        _reporter.Offer(pod, Status(phase));
                    }
                }
            },
            Ct);
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);

        while (latest.Count < pods.Count || latest.Values.Any(p => p != "Running"))
        {
            foreach (var report in await _reporter.TakeAsync(Ct).DefaultTimeout())
            {
                latest[report.Pod.Uid] = report.Status.Phase;
            }
        }

        await offers.DefaultTimeout();
        Assert.Equal(pods.Count, latest.Count);
    }

    private static PodStatus Status(string phase, bool ready = true) => new()
    {
        Phase = phase,
        Conditions = { new PodCondition { Type = "Ready", Status = ready ? "True" : "False" } },
    };

    /// <summary>What is pending now, without waiting: empty when nothing is.</summary>
    private async Task<IReadOnlyList<PodStatusReport>> TakeNowAsync()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        try
        {
            return await _reporter.TakeAsync(cancelled.Token).DefaultTimeout();
        }
        catch (OperationCanceledException)
        {
            return [];
        }
    }
}
