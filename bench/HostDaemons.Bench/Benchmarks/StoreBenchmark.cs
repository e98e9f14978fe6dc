using System.Diagnostics;
using HostDaemons.Bench.Infrastructure;

namespace HostDaemons.Bench.Benchmarks;

/// <summary>
/// Figure 6: applies per second and their latency against the embedded SQLite store (synchronous=FULL, group commit),
/// with N simulated agents connected and heartbeating: secrets one at a time and concurrently (the store alone),
/// and DaemonSets matching no node concurrently (the store plus a controller pass over every node).
/// </summary>
internal sealed class StoreBenchmark : IBenchmark
{
    public string Name => "store";

    public string Usage => "store [--agents 1000] [--applies 5000] [--concurrency 32]";

    public async Task RunAsync(BenchArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var agents = args.Int("agents", 1000);
        var applies = Math.Max(1, args.Int("applies", 5000));
        var concurrency = Math.Max(1, args.Int("concurrency", 32));
        args.RejectUnknown();

        await using var cluster = Cluster.Create();
        try
        {
            var cp = await cluster.StartControlPlaneAsync(cancellationToken);
            var fleet = new SimulatedFleet(cluster.Url, cluster.Prefix, agents);
            await using (fleet)
            {
                await fleet.StartAsync(cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);

                var table = new Table("applies", "count", "applies/s", "p50", "p99", "max", "cp CPU s");
                var rows = new List<(string Label, double Rate, Stats Latency)>();
                async Task PhaseAsync(string label, int count, int workers, Func<int, string> manifest)
                {
                    var objects = Enumerable.Range(0, count).Select(i => AdminApi.Decode(manifest(i))[0]).ToArray();
                    var latencies = new double[count];
                    var before = ProcessSample.Read(cp.Pid);
                    var total = Stopwatch.StartNew();
                    await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, async (i, ct) =>
                    {
                        var one = Stopwatch.StartNew();
                        await cluster.Admin.ApplyAsync(objects[i], ct);
                        latencies[i] = one.Elapsed.TotalMilliseconds;
                    });
                    var seconds = total.Elapsed.TotalSeconds;
                    var after = ProcessSample.Read(cp.Pid);
                    var stats = new Stats(latencies);
                    rows.Add((label, count / seconds, stats));
                    table.Add(label, Fmt.Int(count), Fmt.Num(count / seconds, "0"), Fmt.Ms(stats.P50), Fmt.Ms(stats.P99), Fmt.Ms(stats.Max),
                        Fmt.Seconds(after.CpuSeconds - before.CpuSeconds));
                }

                var prefix = cluster.Prefix;
                await PhaseAsync("secret create, 1 at a time", applies, 1, i => Manifests.Secret($"{prefix}-a{i}", i));
                await PhaseAsync($"secret update, {concurrency} at a time", applies, concurrency, i => Manifests.Secret($"{prefix}-a{i}", i + 1));
                await PhaseAsync($"secret create, {concurrency} at a time", applies, concurrency, i => Manifests.Secret($"{prefix}-b{i}", i));
                var dsCount = Math.Max(1, applies / 4);
                await PhaseAsync($"daemonset create (no node matches), {concurrency} at a time", dsCount, concurrency,
                    i => Manifests.DaemonSet($"{prefix}-d{i}", nodeSelector: "bench/none: \"x\""));

                output.Write(table.ToString());
                var after = ProcessSample.Read(cp.Pid);
                output.WriteLine($"store: {Fmt.Int(agents)} agents connected: " + string.Join(", ", rows.Select(r =>
                    $"{r.Label} {Fmt.Num(r.Rate, "0")}/s (p50 {Fmt.Ms(r.Latency.P50)}, p99 {Fmt.Ms(r.Latency.P99)})")) +
                    $"; control plane RSS {Fmt.Mb(after.RssBytes)}");
            }
        }
        catch
        {
            cluster.MarkFailed();
            throw;
        }
    }
}
