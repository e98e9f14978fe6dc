using System.Diagnostics;
using HostDaemons.Api.V1;
using HostDaemons.Bench.Infrastructure;
using HostDaemons.Model.V1;

namespace HostDaemons.Bench.Benchmarks;

/// <summary>
/// Figure 1: a DaemonSet applied to real agents on the real engine, from the apply to every container running (the
/// engine's start events) and to <c>get ds</c> showing all ready, beside a plain create + start of the same container.
/// With <c>--tls</c> the control plane listens on https:// and each agent connects with a node certificate the bench
/// issued from the cluster CA (<c>STATE-DIR/pki</c>); the bench's admin calls use an administrator's certificate.
/// </summary>
internal sealed class ConvergeBenchmark : IBenchmark
{
    public string Name => "converge";

    public string Usage => "converge [--agents 3] [--runs 50] [--warmup 1] [--tls]";

    public async Task RunAsync(BenchArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var agents = Math.Max(1, args.Int("agents", 3));
        var runs = Math.Max(1, args.Int("runs", 50));
        var warmup = args.Int("warmup", 1);
        var tls = args.Flag("tls");
        args.RejectUnknown();

        await Cluster.RunWithEngineAsync(async (cluster, docker, _) =>
        {
            var nodes = Enumerable.Range(1, agents).Select(i => $"{cluster.Prefix}-n{i}").ToList();
            foreach (var node in nodes)
            {
                await cluster.StartAgentAsync(node, cancellationToken);
            }

            var baseline = new List<double>();
            var parallel = new List<double>();
            var running = new List<double>();
            var ready = new List<double>();
            var podsCreated = new List<double>();
            var containersCreated = new List<double>();
            for (var i = 0; i < warmup + runs; i++)
            {
                var measured = i >= warmup;
                var once = await OnceAsync(cluster, docker, $"{cluster.Prefix}-c{i}", agents, cancellationToken);
                if (measured)
                {
                    baseline.Add(once.Baseline);
                    parallel.Add(once.Parallel);
                    running.Add(once.Running);
                    ready.Add(once.Ready);
                    podsCreated.Add(once.PodsCreated);
                    containersCreated.Add(once.ContainersCreated);
                }
            }

            var sBase = new Stats(baseline);
            var sPar = new Stats(parallel);
            var sRun = new Stats(running);
            var sReady = new Stats(ready);
            var table = new Table("measure (ms)", "p50", "p99", "max", "min", "p50 ratio");
            table.Add("docker create + start", Fmt.Ms(sBase.P50), Fmt.Ms(sBase.P99), Fmt.Ms(sBase.Max), Fmt.Ms(sBase.Min), "1.0x");
            table.Add($"docker create + start, {agents} at once", Fmt.Ms(sPar.P50), Fmt.Ms(sPar.P99), Fmt.Ms(sPar.Max), Fmt.Ms(sPar.Min), Fmt.Ratio(sPar.P50 / sBase.P50));
            table.Add($"apply -> {agents} containers running", Fmt.Ms(sRun.P50), Fmt.Ms(sRun.P99), Fmt.Ms(sRun.Max), Fmt.Ms(sRun.Min), Fmt.Ratio(sRun.P50 / sBase.P50));
            table.Add("apply -> get ds all ready", Fmt.Ms(sReady.P50), Fmt.Ms(sReady.P99), Fmt.Ms(sReady.Max), Fmt.Ms(sReady.Min), Fmt.Ratio(sReady.P50 / sBase.P50));
            output.Write(table.ToString());

            // Where the time goes: each mark is the last of the run's pods or containers to reach it, from the apply.
            var stages = new Table("stage (from apply, last of the nodes)", "p50", "p99", "max");
            foreach (var (label, values) in new[]
            {
                ("pods created by the controller (creationTimestamp)", podsCreated),
                ("containers created by the agents (engine event)", containersCreated),
                ("containers started (engine event)", running),
                ("get ds all ready (status reported, polled 10 ms)", ready),
            })
            {
                var st = new Stats(values);
                stages.Add(label, Fmt.Ms(st.P50), Fmt.Ms(st.P99), Fmt.Ms(st.Max));
            }

            output.Write(stages.ToString());
            output.WriteLine(
                $"converge: {agents} agents, {runs} runs: running p50 {Fmt.Ms(sRun.P50)} p99 {Fmt.Ms(sRun.P99)} max {Fmt.Ms(sRun.Max)}, " +
                $"ready p50 {Fmt.Ms(sReady.P50)} p99 {Fmt.Ms(sReady.P99)}; docker create+start p50 {Fmt.Ms(sBase.P50)} " +
                $"(running/baseline {Fmt.Ratio(sRun.P50 / sBase.P50)} at p50, {Fmt.Ratio(sRun.P99 / sBase.P99)} at p99; " +
                $"{agents} at once p50 {Fmt.Ms(sPar.P50)}, running/that {Fmt.Ratio(sRun.P50 / sPar.P50)} at p50){(tls ? "; over mTLS" : "")}");
        }, cancellationToken, tls);
    }

    private static async Task<Once> OnceAsync(Cluster cluster, DockerEngine docker, string name, int agents, CancellationToken cancellationToken)
    {
        // The floor: the same container, created and started straight through the engine's API.
        var watch = Stopwatch.StartNew();
        var id = await docker.CreateAsync(name + "-baseline", cluster.Prefix + "-baseline", cancellationToken);
        await docker.StartContainerAsync(id, cancellationToken);
        var baseline = watch.Elapsed.TotalMilliseconds;
        await docker.RemoveAsync(id, cancellationToken);

        // What the agents ask of the engine: as many containers at once as there are nodes.
        watch.Restart();
        var ids = await Task.WhenAll(Enumerable.Range(0, agents).Select(async k =>
        {
            var one = await docker.CreateAsync($"{name}-parallel{k}", cluster.Prefix + "-baseline", cancellationToken);
            await docker.StartContainerAsync(one, cancellationToken);
            return one;
        }));
        var parallel = watch.Elapsed.TotalMilliseconds;
        foreach (var one in ids)
        {
            await docker.RemoveAsync(one, cancellationToken);
        }

        var manifest = AdminApi.Decode(Manifests.DaemonSet(name))[0];
        var owner = "DaemonSet/" + name;
        var started = DateTimeOffset.UtcNow;
        watch.Restart();
        await cluster.Admin.ApplyAsync(manifest, cancellationToken);

        var readyTask = Task.Run(async () =>
        {
            await Cluster.WaitAsync(
                async () => AdminApi.AllReady(await cluster.Admin.GetDaemonSetAsync("default", name, cancellationToken), agents),
                TimeSpan.FromSeconds(120), $"daemon set {name} ready on {agents} nodes", cancellationToken);
            return watch.Elapsed.TotalMilliseconds;
        }, cancellationToken);
        var lastStart = await docker.WaitAsync(
            events =>
            {
                var starts = events.Where(e => e.Action == "start" && e.Owner == owner).ToList();
                return starts.Select(e => e.Node).Distinct().Count() >= agents ? starts.Max(e => e.At) : (DateTimeOffset?)null;
            },
            TimeSpan.FromSeconds(120), $"{agents} containers of {name} running", cancellationToken);
        var ready = await readyTask;
        var created = docker.Snapshot().Where(e => e.Action == "create" && e.Owner == owner).Max(e => e.At);
        var pods = await cluster.Admin.Client.ListAsync(new ListRequest { Kind = ResourceKind.Pod, Namespace = "default", LabelSelector = "app=" + name },
            cancellationToken: cancellationToken);
        var podsCreated = pods.Items.Max(p => p.Pod.Metadata.CreationTimestamp.ToDateTimeOffset());

        // Not measured: delete, and wait until the agents have stopped the containers.
        await cluster.Admin.DeleteAsync(ResourceKind.DaemonSet, "default", name, cancellationToken);
        await docker.WaitAsync(
            events => events.Where(e => e.Action == "die" && e.Owner == owner).Select(e => e.Node).Distinct().Count() >= agents ? true : (bool?)null,
            TimeSpan.FromSeconds(60), $"the containers of {name} stopped", cancellationToken);
        return new Once(baseline, parallel, (podsCreated - started).TotalMilliseconds, (created - started).TotalMilliseconds, (lastStart - started).TotalMilliseconds, ready);
    }

    private sealed record Once(double Baseline, double Parallel, double PodsCreated, double ContainersCreated, double Running, double Ready);
}
