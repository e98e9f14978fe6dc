using HostDaemons.Model.Objects;
using HostDaemons.Model.Printing;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests.Printing;

public sealed class EventTextTests
{
    private static Event Event(int count = 1, TimeSpan? first = null, TimeSpan? last = null) =>
        DescribeFixtures.Event("Pulled", "pulled", count, first ?? TimeSpan.FromMinutes(5), last ?? TimeSpan.FromMinutes(2));

    [Fact]
    public void Object_KindAndName_LowerCaseKind()
    {
        Assert.Equal("pod/ssd-monitor-x7k2p", EventText.Object(Event()));
        Assert.Equal("daemonset/ssd-monitor", EventText.Object(DescribeFixtures.Event("R", "m", 1, TimeSpan.Zero, TimeSpan.Zero, kind: "DaemonSet", name: "ssd-monitor")));
    }

    [Fact]
    public void Object_WithoutName_KindOnly()
    {
        var e = Event();
        e.InvolvedObject.Name = "";

        Assert.Equal("pod", EventText.Object(e));
        Assert.Equal("", EventText.Object(new Event()));
    }

    [Fact]
    public void Source_ComponentAndHost_CommaSeparated()
    {
        var e = Event();

        Assert.Equal("hostdaemons-agent, node-1", EventText.Source(e));
        e.Source.Host = "";
        Assert.Equal("hostdaemons-agent", EventText.Source(e));
        e.Source.Component = "";
        e.Source.Host = "node-1";
        Assert.Equal("", EventText.Source(e));
        Assert.Equal("", EventText.Source(new Event()));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(7, 7)]
    public void Count_ZeroIsOnce(int count, int expected)
    {
        Assert.Equal(expected, EventText.Count(Event(count)));
    }

    [Fact]
    public void LastSeen_WithoutLastTimestamp_IsFirstSeen()
    {
        var e = Event();
        e.LastTimestamp = null;

        Assert.Equal("5m", EventText.LastSeen(e, TestPods.Now));
        e.FirstTimestamp = null;
        Assert.Equal("<unknown>", EventText.LastSeen(e, TestPods.Now));
    }

    [Theory]
    [InlineData(1, "5m")]
    [InlineData(0, "5m")]
    [InlineData(3, "2m (x3 over 5m)")]
    public void Interval_RepeatedEvent_LastSeenCountAndSpan(int count, string expected)
    {
        Assert.Equal(expected, EventText.Interval(Event(count), TestPods.Now));
    }

    [Fact]
    public void Interval_RepeatedWithoutLastTimestamp_Unknown()
    {
        var e = Event(2);
        e.LastTimestamp = null;

        Assert.Equal("<unknown> (x2 over 5m)", EventText.Interval(e, TestPods.Now));
    }

    [Fact]
    public void ByLastSeen_OldestFirst_TiesKeepOrder_MissingTimesFirst()
    {
        var recent = Event(last: TimeSpan.FromSeconds(10));
        recent.Reason = "recent";
        var old = Event(last: TimeSpan.FromMinutes(30));
        old.Reason = "old";
        var tieA = Event(last: TimeSpan.FromMinutes(3));
        tieA.Reason = "tie-a";
        var tieB = Event(last: TimeSpan.FromMinutes(3));
        tieB.Reason = "tie-b";
        var firstOnly = Event(first: TimeSpan.FromMinutes(20));
        firstOnly.LastTimestamp = null;
        firstOnly.Reason = "first-only";
        var timeless = new Event { Reason = "timeless" };

        var sorted = EventText.ByLastSeen<IKubeObject>([recent, tieA, old, timeless, tieB, firstOnly]);

        Assert.Equal(["timeless", "old", "first-only", "tie-a", "tie-b", "recent"], sorted.Cast<Event>().Select(e => e.Reason));
    }
}
