using HostDaemons.Bench.Infrastructure;

namespace HostDaemons.Bench.Benchmarks;

/// <summary>
/// Figure 2: a DaemonSet selecting nodes by a label, one real agent: from <c>label node ... key-</c> to its container
/// stopped (the process exits at once on SIGTERM, so the grace period does not count), and from labelling it back to
/// a new container running.
/// </summary>
internal sealed class RelabelBenchmark : IBenchmark
{
    private const string LabelKey = "bench-relabel";

    public string Name => "relabel";

    public string Usage => "relabel [--runs 20]";

    public async Task RunAsync(BenchArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var runs = Math.Max(1, args.Int("runs", 20));
        args.RejectUnknown();

        await Cluster.RunWithEngineAsync(async (cluster, docker, _) =>
        {
            var node = cluster.Prefix + "-n1";
            await cluster.StartAgentAsync(node, cancellationToken, labels: LabelKey + "=on");
            var name = cluster.Prefix + "-relabel";
            var owner = "DaemonSet/" + name;
            await cluster.Admin.ApplyAsync(Manifests.DaemonSet(name, nodeSelector: LabelKey + ": \"on\""), cancellationToken);
            await docker.WaitAsync(events => events.Any(e => e.Action == "start" && e.Owner == owner) ? true : (bool?)null,
                TimeSpan.FromSeconds(120), "the first container", cancellationToken);

            var stops = new List<double>();
            var starts = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var seen = docker.Snapshot().Count;
                var at = DateTimeOffset.UtcNow;
                await cluster.Admin.LabelNodeAsync(node, LabelKey, null, cancellationToken);
                var died = await docker.WaitAsync(events => events.Skip(seen).FirstOrDefault(e => e.Action == "die" && e.Owner == owner)?.At,
                    TimeSpan.FromSeconds(60), "the container to stop after the label was removed", cancellationToken);
                stops.Add((died - at).TotalMilliseconds);

                // Let the pod object go before putting the label back, so the next start is a new pod, not a race.
                await Cluster.WaitAsync(async () => (await cluster.Admin.GetDaemonSetAsync("default", name, cancellationToken))?.Status?.CurrentNumberScheduled == 0,
                    TimeSpan.FromSeconds(60), "the pod to be gone", cancellationToken);
                seen = docker.Snapshot().Count;
                at = DateTimeOffset.UtcNow;
                await cluster.Admin.LabelNodeAsync(node, LabelKey, "on", cancellationToken);
                var started = await docker.WaitAsync(events => events.Skip(seen).FirstOrDefault(e => e.Action == "start" && e.Owner == owner)?.At,
                    TimeSpan.FromSeconds(60), "a container to start after the label came back", cancellationToken);
                starts.Add((started - at).TotalMilliseconds);
            }

            var sStop = new Stats(stops);
            var sStart = new Stats(starts);
            var table = new Table("measure", "p50", "p99", "max", "min");
            table.Add("label removed -> container stopped", Fmt.Ms(sStop.P50), Fmt.Ms(sStop.P99), Fmt.Ms(sStop.Max), Fmt.Ms(sStop.Min));
            table.Add("label back -> container running", Fmt.Ms(sStart.P50), Fmt.Ms(sStart.P99), Fmt.Ms(sStart.Max), Fmt.Ms(sStart.Min));
            output.Write(table.ToString());
            output.WriteLine($"relabel: {runs} runs: stopped p50 {Fmt.Ms(sStop.P50)} p99 {Fmt.Ms(sStop.P99)}, running again p50 {Fmt.Ms(sStart.P50)} p99 {Fmt.Ms(sStart.P99)}");
        }, cancellationToken);
    }
}
