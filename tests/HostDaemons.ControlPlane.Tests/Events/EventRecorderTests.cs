using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Events;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HostDaemons.ControlPlane.Tests.Events;

public sealed class EventRecorderTests : IAsyncDisposable
{
    private static readonly EventObjectReference s_pod = new() { Kind = "Pod", Namespace = "default", Name = "web-x1", Uid = "uid-1" };
    private static readonly EventSource s_agent = new() { Component = "hostdaemons-agent", Host = "node-a" };

    private readonly StoreHarness _store = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task RecordAsync_SameEventTwice_CountsOneEvent()
    {
        var recorder = new EventRecorder(_store.Store, _store.Time);

        await recorder.RecordAsync(s_pod, s_agent, "Warning", "BackOff", "Back-off restarting failed container", 1, null, null, Token).DefaultTimeout();
        _store.Time.Advance(TimeSpan.FromSeconds(10));
        await recorder.RecordAsync(s_pod, s_agent, "Warning", "BackOff", "Back-off restarting failed container", 2, null, null, Token).DefaultTimeout();

        var stored = Assert.Single(_store.Store.List<Event>("default"));
        Assert.Equal(3, stored.Count);
        Assert.Equal(TimeSpan.FromSeconds(10), stored.LastTimestamp.ToDateTimeOffset() - stored.FirstTimestamp.ToDateTimeOffset());
        Assert.StartsWith("web-x1.", stored.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal("uid-1", stored.InvolvedObject.Uid);
    }

    [Fact]
    public async Task RecordAsync_DifferentMessage_IsAnotherEvent()
    {
        var recorder = new EventRecorder(_store.Store, _store.Time);

        await recorder.RecordAsync(s_pod, s_agent, "Normal", "Pulled", "image a present", 1, null, null, Token).DefaultTimeout();
        await recorder.RecordAsync(s_pod, s_agent, "Normal", "Pulled", "image b present", 1, null, null, Token).DefaultTimeout();

        Assert.Equal(2, recorder.For("default", "uid-1").Count);
    }

    [Fact]
    public async Task RecordAsync_AfterRestart_KeepsCountingTheStoredEvent()
    {
        await new EventRecorder(_store.Store, _store.Time).RecordAsync(s_pod, s_agent, "Normal", "Started", "Started container main", 1, null, null, Token).DefaultTimeout();

        var restarted = new EventRecorder(_store.Store, _store.Time);
        await restarted.RecordAsync(s_pod, s_agent, "Normal", "Started", "Started container main", 1, null, null, Token).DefaultTimeout();

        Assert.Equal(2, Assert.Single(_store.Store.List<Event>("default")).Count);
    }

    [Fact]
    public async Task ExpireAsync_EventOlderThanTtl_IsDeleted()
    {
        var recorder = new EventRecorder(_store.Store, _store.Time);
        var options = Options.Create(new ControlPlaneOptions { EventTtl = TimeSpan.FromHours(1) });
        using var expiry = new EventExpiry(_store.Store, recorder, _store.Time, options, new StoreRetryPolicy(_store.Time, NullLogger<StoreRetryPolicy>.Instance), new FakeHostApplicationLifetime(), NullLogger<EventExpiry>.Instance);
        await recorder.RecordAsync(s_pod, s_agent, "Normal", "Pulled", "old", 1, Timestamp.FromDateTimeOffset(_store.Time.GetUtcNow()), null, Token).DefaultTimeout();
        _store.Time.Advance(TimeSpan.FromMinutes(61));
        await recorder.RecordAsync(s_pod, s_agent, "Normal", "Pulled", "new", 1, null, null, Token).DefaultTimeout();

        await expiry.ExpireAsync(Token).DefaultTimeout();

        Assert.Equal("new", Assert.Single(_store.Store.List<Event>("default")).Message);
    }

    [Fact]
    public async Task ExpireAsync_MoreThanMaxEvents_OldestGoFirst()
    {
        var recorder = new EventRecorder(_store.Store, _store.Time);
        var options = Options.Create(new ControlPlaneOptions { MaxEvents = 3 });
        using var expiry = new EventExpiry(_store.Store, recorder, _store.Time, options, new StoreRetryPolicy(_store.Time, NullLogger<StoreRetryPolicy>.Instance), new FakeHostApplicationLifetime(), NullLogger<EventExpiry>.Instance);
        foreach (var message in new[] { "m1", "m2", "m3", "m4", "m5" })
        {
            await recorder.RecordAsync(s_pod, s_agent, "Warning", "BackOff", message, 1, null, null, Token).DefaultTimeout();
            _store.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await expiry.ExpireAsync(Token).DefaultTimeout();

        Assert.Equal(["m3", "m4", "m5"], _store.Store.List<Event>("default").Select(e => e.Message).Order());
    }

    [Fact]
    public async Task Run_StoreRefusesTheDeletes_RetriesReportsAndNeverStopsTheHost()
    {
        var recorder = new EventRecorder(_store.Store, _store.Time);
        var options = Options.Create(new ControlPlaneOptions { EventTtl = TimeSpan.FromHours(1) });
        var retries = new StoreRetryPolicy(_store.Time, NullLogger<StoreRetryPolicy>.Instance);
        using var lifetime = new FakeHostApplicationLifetime();
        using var expiry = new EventExpiry(_store.Store, recorder, _store.Time, options, retries, lifetime, NullLogger<EventExpiry>.Instance);
        await recorder.RecordAsync(s_pod, s_agent, "Normal", "Pulled", "old", 1, Timestamp.FromDateTimeOffset(_store.Time.GetUtcNow()), null, Token).DefaultTimeout();
        _store.Time.Advance(TimeSpan.FromMinutes(61));
        _store.Backend.FailCommits = true;

        await expiry.StartAsync(Token).DefaultTimeout();
        await AsyncTestHelpers.WaitUntilAsync(() => retries.Describe() is { } problem && problem.Contains("event expiry failing", StringComparison.Ordinal), "the failure is reported");
        Assert.Equal(0, lifetime.StopRequests);

        _store.Backend.FailCommits = false;
        await AsyncTestHelpers.WaitUntilAsync(() =>
        {
            _store.Time.Advance(TimeSpan.FromSeconds(1));
            return _store.Store.List<Event>("default").Count == 0;
        }, "the retried pass deletes the expired event");
        await AsyncTestHelpers.WaitUntilAsync(() => retries.Describe() is null, "the report clears");
        Assert.Equal(0, lifetime.StopRequests);
        await expiry.StopAsync(Token).DefaultTimeout();
    }
}
