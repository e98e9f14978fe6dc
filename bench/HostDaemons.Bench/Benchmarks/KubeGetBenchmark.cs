using System.Diagnostics;
using System.Text.Json;
using HostDaemons.Bench.Infrastructure;

namespace HostDaemons.Bench.Benchmarks;

/// <summary>
/// The Kubernetes API's list path, as kubectl uses it: a control plane filled with DaemonSets × simulated nodes pods
/// (10 × 1,000 = 10,000 by default), then the real <c>kubectl get pods -A</c> with a fresh discovery cache each run
/// (cold) and with the cache of a previous run (warm), <c>-o json</c>, one unchunked request, and the same lists asked
/// by this process straight from the REST door (as=Table and JSON, in kubectl's pages of 500 and in one page), with
/// the control plane's CPU per request, its RSS and its managed heap.
/// </summary>
internal sealed class KubeGetBenchmark : IBenchmark
{
    /// <summary>What kubectl get asks for: a Table, else the objects.</summary>
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    /// <summary>kubectl's default <c>--chunk-size</c>.</summary>
    private const int KubectlChunk = 500;

    public string Name => "kubeget";

    public string Usage => "kubeget [--nodes 1000] [--daemonsets 10] [--runs 5] [--tls] [--http 1.1|2] [--kubectl /usr/bin/kubectl] [--counters PATH|--no-counters] [--trace FILE.nettrace [--trace-seconds 20] [--dotnet-trace PATH]]";

    public async Task RunAsync(BenchArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var nodes = Math.Max(1, args.Int("nodes", 1000));
        var daemonSets = Math.Max(1, args.Int("daemonsets", 10));
        var runs = Math.Max(1, args.Int("runs", 5));
        var tls = args.Flag("tls");
        var httpOption = args.String("http");
        var kubectl = args.String("kubectl", KubectlRun.DefaultPath)!;
        var counters = args.Flag("no-counters") ? RuntimeCounters.None : RuntimeCounters.Find(args.String("counters"));
        var traceFile = args.String("trace");
        var traceSeconds = args.Duration("trace-seconds", TimeSpan.FromSeconds(20));
        var traceTool = args.String("dotnet-trace", "dotnet-trace")!;
        args.RejectUnknown();
        if (!File.Exists(kubectl))
        {
            throw new BenchFailedException($"{kubectl} is missing: kubectl is needed for this benchmark");
        }

        await using var cluster = Cluster.Create(tls);
        try
        {
            var cp = await cluster.StartControlPlaneAsync(cancellationToken);
            var version = KubeRest.ParseVersion(httpOption, cluster);
            await using var fleet = tls
                ? new SimulatedFleet(cluster.Url, cluster.Prefix, nodes, cluster.Pki!)
                : new SimulatedFleet(cluster.Url, cluster.Prefix, nodes);
            await fleet.StartAsync(cancellationToken);
            var memory = new ControlPlaneReadings(cp.Pid, counters, cluster.Root);
            await memory.ReadAsync($"{Fmt.Int(nodes)} nodes, no pods", cancellationToken);

            // Fill: every DaemonSet matches every node; each pod is reported Running and Ready by its simulated agent.
            var pods = nodes * daemonSets;
            var fill = Stopwatch.StartNew();
            var names = Enumerable.Range(0, daemonSets).Select(i => $"{cluster.Prefix}-p{i}").ToList();
            foreach (var name in names)
            {
                await cluster.Admin.ApplyAsync(Manifests.DaemonSet(name), cancellationToken);
            }

            foreach (var name in names)
            {
                await Cluster.WaitAsync(async () => AdminApi.AllReady(await cluster.Admin.GetDaemonSetAsync("default", name, cancellationToken), nodes),
                    TimeSpan.FromMinutes(15), $"{name} ready on {nodes} nodes", cancellationToken, pollMs: 200);
            }

            Progress(output, $"{Fmt.Int(pods)} pods ({daemonSets} DaemonSets x {Fmt.Int(nodes)} nodes) created and ready in {fill.Elapsed.TotalSeconds:0.0} s");
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var filled = await memory.ReadAsync($"{Fmt.Int(pods)} pods, settled", cancellationToken);

            var table = new Table("request", "runs", "p50", "min", "max", "bytes", "lines", "cp CPU/run", "kubectl CPU", "kubectl RSS");
            var kubeconfig = KubeRest.Kubeconfig(cluster);
            var runDir = cluster.Dir("kubectl-runs");
            var counter = 0;
            async Task<KubectlRun.Result> KubectlAsync(string cache, params string[] command)
            {
                var home = Path.Combine(runDir, $"home{counter++}");
                Directory.CreateDirectory(home);
                return await KubectlRun.RunAsync(kubectl, kubeconfig, cache, home, command, cancellationToken);
            }

            async Task<Stats> KubectlRowAsync(string label, bool warm, long expectLines, params string[] command)
            {
                var warmCache = Path.Combine(runDir, $"cache{counter++}");
                if (warm)
                {
                    await KubectlAsync(warmCache, command);
                }

                var results = new List<KubectlRun.Result>();
                var cpu = new List<double>();
                for (var i = 0; i < runs; i++)
                {
                    var before = ProcessSample.Read(cp.Pid).CpuSeconds;
                    var result = await KubectlAsync(warm ? warmCache : Path.Combine(runDir, $"cache{counter++}"), command);
                    cpu.Add(ProcessSample.Read(cp.Pid).CpuSeconds - before);
                    if (expectLines > 0 && result.Lines != expectLines)
                    {
                        throw new BenchFailedException($"kubectl {string.Join(' ', command)} printed {result.Lines} lines, not {expectLines}");
                    }

                    results.Add(result);
                }

                var times = new Stats(results.Select(r => r.Milliseconds));
                table.Add(label, Fmt.Int(runs), Fmt.Ms(times.P50), Fmt.Ms(times.Min), Fmt.Ms(times.Max), Fmt.Int(results[^1].Bytes), Fmt.Int(results[^1].Lines),
                    Fmt.Seconds(new Stats(cpu).P50), Fmt.Seconds(new Stats(results.Select(r => r.CpuSeconds)).P50), Fmt.Mb(results.Max(r => r.MaxRssBytes)));
                Progress(output, $"{label}: p50 {Fmt.Ms(times.P50)}");
                return times;
            }

            using var client = KubeRest.Client(cluster, version);
            async Task ServerRowAsync(string label, bool asTable, int pageSize)
            {
                var results = new List<(double Ms, long Bytes, int Pages, double Cpu)>();
                await ListAsync(client, asTable, pageSize, cancellationToken);
                for (var i = 0; i < runs; i++)
                {
                    var before = ProcessSample.Read(cp.Pid).CpuSeconds;
                    var (ms, bytes, pages) = await ListAsync(client, asTable, pageSize, cancellationToken);
                    results.Add((ms, bytes, pages, ProcessSample.Read(cp.Pid).CpuSeconds - before));
                }

                var times = new Stats(results.Select(r => r.Ms));
                table.Add($"{label} ({results[^1].Pages} request{(results[^1].Pages == 1 ? "" : "s")}, HTTP/{version})", Fmt.Int(runs),
                    Fmt.Ms(times.P50), Fmt.Ms(times.Min), Fmt.Ms(times.Max), Fmt.Int(results[^1].Bytes), "-", Fmt.Seconds(new Stats(results.Select(r => r.Cpu)).P50), "-", "-");
                Progress(output, $"{label}: p50 {Fmt.Ms(times.P50)}");
            }

            var lines = pods + 1;
            var cold = await KubectlRowAsync("kubectl get pods -A, cold discovery cache", warm: false, lines, "get", "pods", "-A");
            Stats warm;
            using (traceFile is null ? null : await DotnetTrace.StartAsync(traceTool, cp.Pid, traceFile, traceSeconds, output))
            {
                warm = await KubectlRowAsync("kubectl get pods -A, warm", warm: true, lines, "get", "pods", "-A");
            }

            await KubectlRowAsync("kubectl get pods -A --chunk-size=0, warm", warm: true, lines, "get", "pods", "-A", "--chunk-size=0");
            await KubectlRowAsync("kubectl get pods -A -o json, warm", warm: true, 0, "get", "pods", "-A", "-o", "json");
            await ServerRowAsync("server: list as=Table, pages of 500", asTable: true, KubectlChunk);
            await ServerRowAsync("server: list as=Table, one page", asTable: true, 0);
            await ServerRowAsync("server: list JSON, pages of 500", asTable: false, KubectlChunk);
            await ServerRowAsync("server: list JSON, one page", asTable: false, 0);
            await memory.ReadAsync("after the lists", cancellationToken, since: filled);

            output.Write(table.ToString());
            output.WriteLine();
            output.Write(memory.ToString());
            output.WriteLine($"kubeget: {Fmt.Int(pods)} pods ({(tls ? "TLS, admin.conf" : "plain http")}): kubectl get pods -A p50 {Fmt.Ms(cold.P50)} with a cold discovery cache, {Fmt.Ms(warm.P50)} warm; " +
                $"control plane RSS {Fmt.Mb(ProcessSample.Read(cp.Pid).RssBytes)}");
        }
        catch
        {
            cluster.MarkFailed();
            throw;
        }
    }

    /// <summary>A list as kubectl asks it: pages of <paramref name="pageSize"/> (0: one page) until no continue token; time to the last byte.</summary>
    private static async Task<(double Ms, long Bytes, int Pages)> ListAsync(HttpClient client, bool asTable, int pageSize, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        long bytes = 0;
        var pages = 0;
        string? next = null;
        do
        {
            var uri = "/api/v1/pods" + (pageSize > 0 ? $"?limit={pageSize}" + (next is null ? "" : "&continue=" + Uri.EscapeDataString(next)) : "");
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.TryAddWithoutValidation("Accept", asTable ? TableAccept : "application/json");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new BenchFailedException($"GET {uri}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
            }

            bytes += body.Length;
            pages++;
            next = pageSize > 0 ? ContinueToken(body) : null;
        }
        while (next is not null);

        return (watch.Elapsed.TotalMilliseconds, bytes, pages);
    }

    private static string? ContinueToken(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("continue", out var token)
            && token.GetString() is { Length: > 0 } text ? text : null;
    }

    private static void Progress(TextWriter output, string line) => output.WriteLine("  " + line);
}
