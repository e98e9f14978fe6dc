using HostDaemons.Bench.Infrastructure;

namespace HostDaemons.Bench.Benchmarks;

/// <summary>
/// Figure 3: static pods, one real agent: from a manifest file closed in its directory to the container running (the
/// engine's start event). One file at a time; each is removed (and its container gone) before the next.
/// </summary>
internal sealed class StaticBenchmark : IBenchmark
{
    public string Name => "static";

    public string Usage => "static [--files 50]";

    public async Task RunAsync(BenchArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var files = Math.Max(1, args.Int("files", 50));
        args.RejectUnknown();

        await Cluster.RunWithEngineAsync(async (cluster, docker, _) =>
        {
            var node = cluster.Prefix + "-n1";
            var manifests = cluster.Dir("manifests");
            await cluster.StartAgentAsync(node, cancellationToken, manifestDir: manifests);

            var times = new List<double>();
            for (var i = 0; i < files; i++)
            {
                var pod = $"static{i}-{node}";
                var path = Path.Combine(manifests, $"static{i}.yaml");
                var at = DateTimeOffset.UtcNow;
                await using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                await using (var writer = new StreamWriter(stream))
                {
                    await writer.WriteAsync(Manifests.StaticPod($"static{i}"));
                }

                var started = await docker.WaitAsync(events => events.FirstOrDefault(e => e.Action == "start" && e.Pod == pod)?.At,
                    TimeSpan.FromSeconds(60), $"static pod {pod} running", cancellationToken);
                times.Add((started - at).TotalMilliseconds);

                File.Delete(path);
                await docker.WaitAsync(events => events.Any(e => e.Action == "die" && e.Pod == pod) ? true : (bool?)null,
                    TimeSpan.FromSeconds(60), $"static pod {pod} stopped after its file was removed", cancellationToken);
            }

            var stats = new Stats(times);
            var table = new Table("measure", "p50", "p99", "max", "min");
            table.Add("manifest file closed -> container running", Fmt.Ms(stats.P50), Fmt.Ms(stats.P99), Fmt.Ms(stats.Max), Fmt.Ms(stats.Min));
            output.Write(table.ToString());
            output.WriteLine($"static: {files} files: file closed -> container running p50 {Fmt.Ms(stats.P50)} p99 {Fmt.Ms(stats.P99)} max {Fmt.Ms(stats.Max)} (kubelet re-lists every 20 s)");
        }, cancellationToken);
    }
}
