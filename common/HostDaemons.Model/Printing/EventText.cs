using System.Globalization;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Printing;

/// <summary>How kubectl words an Event: its object, source, times and order (printEvent and describe's DescribeEvents).</summary>
public static class EventText
{
    /// <summary><c>pod/ssd-monitor-x7k2p</c>: the lower-case kind and the name, or just the kind when there is no name.</summary>
    public static string Object(Event e)
    {
        var about = e.InvolvedObject ?? new EventObjectReference();
        var kind = about.Kind.ToLowerInvariant();
        return about.Name.Length > 0 ? $"{kind}/{about.Name}" : kind;
    }

    /// <summary>The component that reported the event, then its host: <c>hostdaemons-agent, node-1</c>.</summary>
    public static string Source(Event e)
    {
        var source = e.Source ?? new EventSource();
        if (source.Component.Length == 0)
        {
            return "";
        }

        return source.Host.Length == 0 ? source.Component : $"{source.Component}, {source.Host}";
    }

    /// <summary>Singleton events may carry no count: they happened once.</summary>
    public static int Count(Event e) => e.Count == 0 ? 1 : e.Count;

    public static string FirstSeen(Event e, DateTimeOffset now) => Since(e.FirstTimestamp?.ToDateTimeOffset(), now);

    public static string LastSeen(Event e, DateTimeOffset now) =>
        e.LastTimestamp is { } last ? Since(last.ToDateTimeOffset(), now) : FirstSeen(e, now);

    /// <summary>describe's Age column: <c>2m (x3 over 5m)</c> for a repeated event, else how long ago it first happened.</summary>
    public static string Interval(Event e, DateTimeOffset now) =>
        e.Count > 1 ? $"{Since(e.LastTimestamp?.ToDateTimeOffset(), now)} (x{e.Count.ToString(CultureInfo.InvariantCulture)} over {FirstSeen(e, now)})" : FirstSeen(e, now);

    /// <summary>Oldest first by when each event last happened, as kubectl sorts events; ties keep their order.</summary>
    public static List<T> ByLastSeen<T>(IEnumerable<T> items)
        where T : IKubeObject =>
        [.. items.OrderBy(i => i is Event e ? SortTime(e) : DateTimeOffset.MinValue)];

    /// <summary><c>&lt;unknown&gt;</c> for a missing time, else the human duration since it.</summary>
    public static string Since(DateTimeOffset? time, DateTimeOffset now) => time is { } t ? HumanDuration.Format(now - t) : "<unknown>";

    private static DateTimeOffset SortTime(Event e) =>
        (e.LastTimestamp ?? e.FirstTimestamp ?? e.Metadata?.CreationTimestamp)?.ToDateTimeOffset() ?? DateTimeOffset.MinValue;
}
