using System.Diagnostics;
using HostDaemons.Bench.Infrastructure;

namespace HostDaemons.Bench.Benchmarks;

/// <summary>
/// What scripts/test runs so the benchmarks keep working: converge, static and fan-out, small, fan-out over mTLS, and the Kubernetes API's
/// list (real kubectl) and watch, small. It fails only on a broken
/// run, never on a slow figure.
/// </summary>
internal sealed class SmokeBenchmark : IBenchmark
{
    public string Name => "smoke";

    public string Usage => "smoke   (converge --runs 2, static --files 3, fanout --agents 200, the same over mTLS, kubeget and kubewatch on 20 nodes: about a minute)";

    public async Task RunAsync(BenchArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        args.RejectUnknown();
        var watch = Stopwatch.StartNew();
        (IBenchmark Benchmark, string[] Args)[] runs =
        [
            (new ConvergeBenchmark(), ["--runs", "2", "--warmup", "0"]),
            (new StaticBenchmark(), ["--files", "3"]),
            (new FanOutBenchmark(), ["--agents", "200"]),
            (new FanOutBenchmark(), ["--agents", "200", "--tls"]),
            (new KubeGetBenchmark(), ["--nodes", "20", "--daemonsets", "2", "--runs", "1", "--no-counters"]),
            (new KubeWatchBenchmark(), ["--nodes", "20", "--watchers", "5", "--no-counters"]),
        ];
        foreach (var (benchmark, options) in runs)
        {
            output.WriteLine($"== {benchmark.Name} {string.Join(' ', options)}");
            await benchmark.RunAsync(new BenchArgs(options), output, cancellationToken);
        }

        output.WriteLine($"smoke: converge, static, fanout, fanout --tls, kubeget and kubewatch ran in {watch.Elapsed.TotalSeconds:0.0} s");
    }
}
