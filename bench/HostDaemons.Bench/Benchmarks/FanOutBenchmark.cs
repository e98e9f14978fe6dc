using System.Diagnostics;
using HostDaemons.Bench.Infrastructure;
using HostDaemons.Model.V1;

namespace HostDaemons.Bench.Benchmarks;

/// <summary>
/// Figure 4: one control plane (a child process, so its memory and CPU are its own) and N simulated agents in this
/// process. For each N: one apply of a DaemonSet matching every node until the last agent has its pod; a rolling
/// update (maxUnavailable 10%) until its first wave has the new pods; the control plane's RSS and CPU seconds; and
/// the time for N agents to reconnect after the control plane restarts. With <c>--tls</c> the control plane listens on
/// https:// and each agent connects with its own node certificate (issued by the bench from the cluster CA, timed
/// apart), over its own TLS connection: the register and connect figures then include N handshakes.
/// </summary>
internal sealed class FanOutBenchmark : IBenchmark
{
    public string Name => "fanout";

    public string Usage => "fanout [--agents 1000,5000,10000] [--tls] [--max-unavailable 10%] [--no-restart] [--no-status] [--connections 4] [--connect-timeout 5s] [--trace-apply|--trace-connect FILE.nettrace [--trace-seconds 8] [--dotnet-trace PATH]]";

    public async Task RunAsync(BenchArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var sizes = args.Ints("agents", [1000, 5000, 10000]);
        var maxUnavailable = args.String("max-unavailable", "10%")!;
        var restart = !args.Flag("no-restart");
        var reportStatus = !args.Flag("no-status");
        var connections = Math.Max(1, args.Int("connections", 4));
        var connectTimeout = args.Duration("connect-timeout", TimeSpan.FromSeconds(5));
        var tls = args.Flag("tls");
        var traceConnect = args.String("trace-connect");
        var trace = new TraceOptions(traceConnect ?? args.String("trace-apply"), args.Duration("trace-seconds", TimeSpan.FromSeconds(8)),
            args.String("dotnet-trace", "dotnet-trace")!, Connect: traceConnect is not null);
        args.RejectUnknown();

        var results = new List<Result>();
        foreach (var n in sizes)
        {
            results.Add(await RunOneAsync(n, tls, maxUnavailable, restart, reportStatus, connections, connectTimeout, trace, output, cancellationToken));
        }

        // Two tables, as docs/benchmarks.md shows them: connect and fan-out, then the control plane's resources and restart.
        var timing = new Table("agents", "transport", "certs", "register", "connect", "cp CPU connect", "apply p50", "p99", "max", "all ready",
            "wave", "wave p50", "p99", "max", "rollout");
        var resources = new Table("agents", "transport", "cp RSS idle", "after", "peak", "cp CPU apply", "rollout", "cp restart", "reconnect p50", "p99", "all");
        foreach (var r in results)
        {
            timing.Add(Fmt.Int(r.Agents), r.Transport, Fmt.Seconds(r.Issue), Fmt.Seconds(r.Register), Fmt.Seconds(r.Connect), Fmt.Seconds(r.CpuConnect),
                Fmt.Ms(r.Apply.P50), Fmt.Ms(r.Apply.P99), Fmt.Ms(r.Apply.Max), Fmt.Ms(r.AllReady),
                Fmt.Int(r.Wave), Fmt.Ms(r.WaveStats.P50), Fmt.Ms(r.WaveStats.P99), Fmt.Ms(r.WaveStats.Max), Fmt.Ms(r.Rollout));
            resources.Add(Fmt.Int(r.Agents), r.Transport, Fmt.Mb(r.RssIdle), Fmt.Mb(r.RssAfter), Fmt.Mb(r.RssPeak), Fmt.Seconds(r.CpuApply), Fmt.Seconds(r.CpuRollout),
                Fmt.Ms(r.CpStart), Fmt.Ms(r.Reconnect.P50), Fmt.Ms(r.Reconnect.P99), Fmt.Ms(r.Reconnect.Max));
        }

        output.Write(timing.ToString());
        output.WriteLine();
        output.Write(resources.ToString());
        output.WriteLine("fanout: " + string.Join("; ", results.Select(r =>
            $"{Fmt.Int(r.Agents)} agents ({r.Transport}): connected in {Fmt.Seconds(r.Register + r.Connect)} ({Fmt.Seconds(r.CpuConnect)} control plane CPU), apply -> last agent {Fmt.Ms(r.Apply.Max)} (p99 {Fmt.Ms(r.Apply.P99)}), first wave of {Fmt.Int(r.Wave)} p99 {Fmt.Ms(r.WaveStats.P99)}, " +
            $"control plane {Fmt.Mb(r.RssAfter)} RSS, {Fmt.Seconds(r.CpuApply + r.CpuRollout)} CPU, all reconnected {Fmt.Ms(r.Reconnect.Max)} after a restart")));
    }

    private static async Task<Result> RunOneAsync(int n, bool tls, string maxUnavailable, bool restart, bool reportStatus, int connections, TimeSpan connectTimeout, TraceOptions trace, TextWriter output, CancellationToken cancellationToken)
    {
        await using var cluster = Cluster.Create(tls);
        try
        {
            var cp = await cluster.StartControlPlaneAsync(cancellationToken);
            var fleet = tls
                ? new SimulatedFleet(cluster.Url, cluster.Prefix, n, cluster.Pki!, connectTimeout) { ReportStatus = reportStatus }
                : new SimulatedFleet(cluster.Url, cluster.Prefix, n, connections, connectTimeout) { ReportStatus = reportStatus };
            var transport = tls ? $"mTLS x{Fmt.Int(fleet.Connections)}" : $"h2c x{Fmt.Int(fleet.Connections)}";
            if (tls)
            {
                Progress(output, $"{n} node certificates issued in {fleet.IssueTime.TotalSeconds:0.00} s (ECDSA P-256, one key pair and signature each)");
            }

            await using (fleet)
            {
                using var connectTracer = trace is { File: not null, Connect: true } ? await DotnetTrace.StartAsync(trace.Tool, cp.Pid, trace.File!.Replace(".nettrace", $"-{n}.nettrace", StringComparison.Ordinal), trace.Duration, output) : null;
                var beforeConnect = ProcessSample.Read(cp.Pid);
                var selfBeforeConnect = ProcessSample.Self();
                var (register, connect) = await fleet.StartAsync(cancellationToken);
                var connected = ProcessSample.Read(cp.Pid);
                var cpuConnect = connected.CpuSeconds - beforeConnect.CpuSeconds;
                Progress(output, $"{n} agents registered in {register.TotalSeconds:0.0} s, watching after {connect.TotalSeconds:0.0} s more ({transport}); " +
                    $"control plane {cpuConnect:0.00} CPU s, load generator {ProcessSample.Self().CpuSeconds - selfBeforeConnect.CpuSeconds:0.00} CPU s, " +
                    $"control plane RSS {connected.RssBytes / 1024.0 / 1024.0:0} MB");

                // Idle with N agents heartbeating: a few seconds to settle, then a reading.
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
                var idle = ProcessSample.Read(cp.Pid);
                var selfBefore = ProcessSample.Self();

                var name = cluster.Prefix + "-fan";
                using var tracer = trace is { File: not null, Connect: false } ? await DotnetTrace.StartAsync(trace.Tool, cp.Pid, trace.File!.Replace(".nettrace", $"-{n}.nettrace", StringComparison.Ordinal), trace.Duration, output) : null;
                var receipts = fleet.Expect(pod => IsOf(pod, name) && pod.Metadata.DeletionTimestamp is null);
                var applyWatch = Stopwatch.StartNew();
                await cluster.Admin.ApplyAsync(Manifests.DaemonSet(name, maxUnavailable: maxUnavailable, env: "v1"), cancellationToken);
                await receipts.WaitAsync(n, TimeSpan.FromMinutes(10), $"{n} agents to receive their pod", cancellationToken);
                var apply = new Stats(receipts.InOrder);
                var created = new Stats(receipts.Stages.Select(x => x.Created));
                var delivery = new Stats(receipts.Stages.Select(x => x.Delivery));
                if (!reportStatus)
                {
                    Progress(output, $"apply (no status reports): last agent after {apply.Max:0} ms; pods created by the controller p50 {created.P50:0} ms, " +
                        $"last {created.Max:0} ms after the apply; delivered p99 {delivery.P99:0} ms after their creation");
                    return new Result(n, transport, fleet.IssueTime.TotalSeconds, register.TotalSeconds, connect.TotalSeconds, cpuConnect, apply, double.NaN, 0, new Stats([]), double.NaN,
                        idle.RssBytes, ProcessSample.Read(cp.Pid).RssBytes, ProcessSample.Read(cp.Pid).PeakRssBytes,
                        ProcessSample.Read(cp.Pid).CpuSeconds - idle.CpuSeconds, double.NaN, double.NaN, new Stats([]));
                }

                await Cluster.WaitAsync(async () => AdminApi.AllReady(await cluster.Admin.GetDaemonSetAsync("default", name, cancellationToken), n),
                    TimeSpan.FromMinutes(10), $"{name} ready on {n} nodes", cancellationToken, pollMs: 50);
                var allReady = applyWatch.Elapsed.TotalMilliseconds;
                var afterApply = ProcessSample.Read(cp.Pid);
                var selfApply = ProcessSample.Self().CpuSeconds - selfBefore.CpuSeconds;
                Progress(output, $"apply: control plane {afterApply.CpuSeconds - idle.CpuSeconds:0.0} CPU s, load generator {selfApply:0.0} CPU s (2 cores shared)");
                Progress(output, $"apply: last agent after {apply.Max:0} ms, all ready after {allReady:0} ms; " +
                    $"pods created by the controller p50 {created.P50:0} ms, last {created.Max:0} ms after the apply; " +
                    $"delivered to their agent p50 {delivery.P50:0} ms, p99 {delivery.P99:0} ms, max {delivery.Max:0} ms after their creation");

                // A rolling update: the first wave is the first maxUnavailable nodes to get the new pod.
                var wave = WaveSize(maxUnavailable, n);
                var updated = fleet.Expect(pod => IsOf(pod, name) && pod.Metadata.DeletionTimestamp is null && pod.Spec.Containers.Any(c => c.Env.Any(e => e.Value == "v2")));
                var rolloutWatch = Stopwatch.StartNew();
                await cluster.Admin.ApplyAsync(Manifests.DaemonSet(name, maxUnavailable: maxUnavailable, env: "v2"), cancellationToken);
                await updated.WaitAsync(wave, TimeSpan.FromMinutes(10), $"the first wave of {wave} to receive the new pod", cancellationToken);
                var waveStats = new Stats(updated.InOrder.Take(wave));
                var waveCreated = new Stats(updated.Stages.Take(wave).Select(x => x.Created));
                var waveDelivery = new Stats(updated.Stages.Take(wave).Select(x => x.Delivery));
                await updated.WaitAsync(n, TimeSpan.FromMinutes(20), $"the rollout to reach {n} agents", cancellationToken);
                await Cluster.WaitAsync(async () => AdminApi.AllReady(await cluster.Admin.GetDaemonSetAsync("default", name, cancellationToken), n),
                    TimeSpan.FromMinutes(10), $"{name} rolled out and ready on {n} nodes", cancellationToken, pollMs: 50);
                var rollout = rolloutWatch.Elapsed.TotalMilliseconds;
                var afterRollout = ProcessSample.Read(cp.Pid);
                Progress(output, $"rolling update: first wave of {wave} p99 {waveStats.P99:0} ms (new pods created p50 {waveCreated.P50:0} ms, " +
                    $"last {waveCreated.Max:0} ms; delivered p99 {waveDelivery.P99:0} ms after creation), whole rollout {rollout:0} ms");

                var reconnect = new Stats([]);
                var cpStart = double.NaN;
                if (restart)
                {
                    var sessions = fleet.MinimumSessions;
                    await cp.StopAsync();
                    var restartedAt = Stopwatch.GetTimestamp();
                    cp = await cluster.StartControlPlaneAsync(cancellationToken);
                    cpStart = Stopwatch.GetElapsedTime(restartedAt).TotalMilliseconds;
                    await fleet.WaitConnectedAsync(sessions, TimeSpan.FromMinutes(10), cancellationToken);
                    reconnect = new Stats(fleet.SessionStartTimes(restartedAt));
                    Progress(output, $"restart: the control plane answered after {cpStart:0} ms, {n} agents back after {reconnect.Max:0} ms");
                }

                return new Result(n, transport, fleet.IssueTime.TotalSeconds, register.TotalSeconds, connect.TotalSeconds, cpuConnect, apply, allReady, wave, waveStats, rollout,
                    idle.RssBytes, afterRollout.RssBytes, afterRollout.PeakRssBytes,
                    afterApply.CpuSeconds - idle.CpuSeconds, afterRollout.CpuSeconds - afterApply.CpuSeconds, cpStart, reconnect);
            }
        }
        catch
        {
            cluster.MarkFailed();
            throw;
        }
    }

    private sealed record TraceOptions(string? File, TimeSpan Duration, string Tool, bool Connect);

    private static bool IsOf(Pod pod, string daemonSet) => pod.Metadata.OwnerReferences.Any(o => o.Kind == "DaemonSet" && o.Name == daemonSet);

    /// <summary>maxUnavailable as Kubernetes scales it for a DaemonSet: a percentage rounds up, at least 1.</summary>
    private static int WaveSize(string maxUnavailable, int n) =>
        maxUnavailable.EndsWith('%')
            ? Math.Max(1, (int)Math.Ceiling(n * double.Parse(maxUnavailable[..^1], System.Globalization.CultureInfo.InvariantCulture) / 100))
            : Math.Min(n, int.Parse(maxUnavailable, System.Globalization.CultureInfo.InvariantCulture));

    private static void Progress(TextWriter output, string line) => output.WriteLine("  " + line);

    private sealed record Result(
        int Agents, string Transport, double Issue, double Register, double Connect, double CpuConnect, Stats Apply, double AllReady, int Wave, Stats WaveStats, double Rollout,
        long RssIdle, long RssAfter, long RssPeak, double CpuApply, double CpuRollout, double CpStart, Stats Reconnect);
}
