using System.Diagnostics;
using HostDaemons.Bench.Infrastructure;

namespace HostDaemons.Bench.Benchmarks;

/// <summary>
/// The Kubernetes API's watch path under fan-out: N simulated nodes (1,000), W watchers of every pod through the REST
/// door (100, each its own connection, as W controllers would hold), then one DaemonSet apply that creates a pod on
/// every node. For each watcher: the time from the apply until it has seen every pod ADDED, and every pod Ready (the
/// agents' status reports, as MODIFIED events); p50, p99 and max over the watchers; no watcher may be cut off (410) or
/// end. Also the control plane's RSS, managed heap and CPU before the watchers, with them idle, and after the apply.
/// </summary>
internal sealed class KubeWatchBenchmark : IBenchmark
{
    public string Name => "kubewatch";

    public string Usage => "kubewatch [--nodes 1000] [--watchers 100] [--tls] [--http 1.1|2] [--counters PATH|--no-counters] [--trace FILE.nettrace [--trace-seconds 10] [--dotnet-trace PATH]]";

    public async Task RunAsync(BenchArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var nodes = Math.Max(1, args.Int("nodes", 1000));
        var watcherCount = Math.Max(1, args.Int("watchers", 100));
        var tls = args.Flag("tls");
        var httpOption = args.String("http");
        var counters = args.Flag("no-counters") ? RuntimeCounters.None : RuntimeCounters.Find(args.String("counters"));
        var traceFile = args.String("trace");
        var traceSeconds = args.Duration("trace-seconds", TimeSpan.FromSeconds(10));
        var traceTool = args.String("dotnet-trace", "dotnet-trace")!;
        args.RejectUnknown();

        await using var cluster = Cluster.Create(tls);
        var watchers = new List<RestPodWatcher>();
        try
        {
            var cp = await cluster.StartControlPlaneAsync(cancellationToken);
            var version = KubeRest.ParseVersion(httpOption, cluster);
            await using var fleet = tls
                ? new SimulatedFleet(cluster.Url, cluster.Prefix, nodes, cluster.Pki!)
                : new SimulatedFleet(cluster.Url, cluster.Prefix, nodes);
            await fleet.StartAsync(cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var memory = new ControlPlaneReadings(cp.Pid, counters, cluster.Root);
            var idle = await memory.ReadAsync($"{Fmt.Int(nodes)} nodes, no watchers", cancellationToken);

            // The watchers, each on its own connection; a pod on one node proves every watch is live before the timed apply.
            for (var i = 0; i < watcherCount; i++)
            {
                var watcher = new RestPodWatcher(KubeRest.Client(cluster, version));
                watchers.Add(watcher);
                await watcher.StartAsync(cancellationToken);
            }

            var sentinel = cluster.Prefix + "-live";
            foreach (var watcher in watchers)
            {
                watcher.WatchFor(sentinel + "-");
            }

            await cluster.Admin.ApplyAsync(Manifests.DaemonSet(sentinel, nodeSelector: "kubernetes.io/hostname: " + SimulatedFleet.NodeName(cluster.Prefix, 0)), cancellationToken);
            await Cluster.WaitAsync(() => Task.FromResult(watchers.TrueForAll(w => w.SawSentinel)), TimeSpan.FromMinutes(2),
                $"{watcherCount} watchers to see a first pod", cancellationToken, pollMs: 20);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var open = await memory.ReadAsync($"{watcherCount} watchers open (HTTP/{version}), idle", cancellationToken);
            Progress(output, $"{watcherCount} watchers open over HTTP/{version}{(tls ? " (TLS)" : "")}: control plane RSS {Fmt.Mb(open.RssBytes - idle.RssBytes)} more");

            // The timed apply: one pod per node.
            var name = cluster.Prefix + "-watch";
            var selfBefore = ProcessSample.Self().CpuSeconds;
            var receipts = fleet.Expect(pod => pod.Metadata.OwnerReferences.Any(o => o.Kind == "DaemonSet" && o.Name == name) && pod.Metadata.DeletionTimestamp is null);
            var start = Stopwatch.GetTimestamp();
            foreach (var watcher in watchers)
            {
                watcher.Track(name + "-", nodes, start);
            }

            using (traceFile is null ? null : await DotnetTrace.StartAsync(traceTool, cp.Pid, traceFile, traceSeconds, output))
            {
                await cluster.Admin.ApplyAsync(Manifests.DaemonSet(name), cancellationToken);
                await Cluster.WaitAsync(() => Task.FromResult(watchers.TrueForAll(w => w.Tracked!.Done || w.Ended || w.Errors > 0)), TimeSpan.FromMinutes(10),
                    $"{watcherCount} watchers to see {nodes} pods added and ready", cancellationToken, pollMs: 20);
            }

            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            await receipts.WaitAsync(nodes, TimeSpan.FromMinutes(1), $"{nodes} agents to receive their pod", cancellationToken);
            var selfCpu = ProcessSample.Self().CpuSeconds - selfBefore;
            var after = await memory.ReadAsync($"after the apply ({Fmt.Int(nodes)} pods)", cancellationToken, since: open);
            var cut = watchers.Where(w => w.Ended || w.Errors > 0).ToList();
            if (cut.Count > 0)
            {
                throw new BenchFailedException($"{cut.Count} of {watcherCount} watchers were cut off: {cut[0].LastError ?? "the stream ended"}");
            }

            var tracked = watchers.Select(w => w.Tracked!).ToList();
            var first = new Stats(tracked.Select(t => t.FirstAdded));
            var added = new Stats(tracked.Select(t => t.AllAdded));
            var ready = new Stats(tracked.Select(t => t.AllReady));
            var agents = new Stats(receipts.InOrder);
            var table = new Table("from the apply (ms), over the watchers", "p50", "p99", "max", "min");
            table.Add("first pod ADDED", Fmt.Ms(first.P50), Fmt.Ms(first.P99), Fmt.Ms(first.Max), Fmt.Ms(first.Min));
            table.Add($"all {Fmt.Int(nodes)} ADDED", Fmt.Ms(added.P50), Fmt.Ms(added.P99), Fmt.Ms(added.Max), Fmt.Ms(added.Min));
            table.Add($"all {Fmt.Int(nodes)} Ready (MODIFIED)", Fmt.Ms(ready.P50), Fmt.Ms(ready.P99), Fmt.Ms(ready.Max), Fmt.Ms(ready.Min));
            table.Add($"for comparison, over the {Fmt.Int(nodes)} agents (gRPC): pod received", Fmt.Ms(agents.P50), Fmt.Ms(agents.P99), Fmt.Ms(agents.Max), Fmt.Ms(agents.Min));
            var events = watchers.Sum(w => (long)w.Tracked!.Events) / watcherCount;
            var bytes = watchers.Sum(w => w.Bytes) / watcherCount;
            output.Write(table.ToString());
            output.WriteLine($"  per watcher: {Fmt.Int(events)} events of the DaemonSet's pods, {Fmt.Mb(bytes)} received in all; no 410, no watch ended; " +
                $"load generator {selfCpu:0.0} CPU s ({Fmt.Int(watcherCount)} watchers decoding + {Fmt.Int(nodes)} agents; 2 cores shared)");
            output.WriteLine();
            output.Write(memory.ToString());
            output.WriteLine($"kubewatch: {Fmt.Int(watcherCount)} watchers (HTTP/{version}{(tls ? ", TLS" : "")}), apply to {Fmt.Int(nodes)} nodes: " +
                $"all ADDED p50 {Fmt.Ms(added.P50)}, p99 {Fmt.Ms(added.P99)}, max {Fmt.Ms(added.Max)}; all Ready p50 {Fmt.Ms(ready.P50)}, max {Fmt.Ms(ready.Max)} (run {elapsed / 1000:0.0} s); " +
                $"control plane RSS {Fmt.Mb(idle.RssBytes)} -> {Fmt.Mb(open.RssBytes)} with watchers -> {Fmt.Mb(after.RssBytes)}, {after.CpuSeconds - open.CpuSeconds:0.0} CPU s for the apply");
        }
        catch
        {
            cluster.MarkFailed();
            throw;
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                await watcher.DisposeAsync();
            }
        }
    }

    private static void Progress(TextWriter output, string line) => output.WriteLine("  " + line);
}
