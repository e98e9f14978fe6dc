namespace HostDaemons.Bench.Infrastructure;

/// <summary>The control plane's memory at named moments: RSS and its peak, the managed heap (when dotnet-counters is there), CPU since an earlier reading.</summary>
internal sealed class ControlPlaneReadings(int pid, RuntimeCounters counters, string scratchDir)
{
    private readonly Table _table = new("control plane", "RSS", "peak RSS", "managed heap", "GC committed", "CPU s since");

    public async Task<ProcessSample> ReadAsync(string label, CancellationToken cancellationToken, ProcessSample? since = null)
    {
        var sample = ProcessSample.Read(pid);
        var (heap, committed) = await counters.ReadAsync(pid, scratchDir, cancellationToken);
        _table.Add(label, Fmt.Mb(sample.RssBytes), Fmt.Mb(sample.PeakRssBytes), Fmt.MbOrNone(heap), Fmt.MbOrNone(committed),
            since is { } earlier ? Fmt.Seconds(sample.CpuSeconds - earlier.CpuSeconds) : "-");
        return sample;
    }

    public override string ToString() => _table.ToString();
}
