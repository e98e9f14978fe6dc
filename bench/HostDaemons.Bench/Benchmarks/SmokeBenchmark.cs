using System.Diagnostics;
using HostDaemons.Bench.Infrastructure;

namespace HostDaemons.Bench.Benchmarks;

/// <summary>
/// What scripts/test runs so the benchmarks keep working: converge, static and fan-out, small, and fan-out over mTLS. It fails only on a broken
/// run, never on a slow figure.
/// </summary>
internal sealed class SmokeBenchmark : IBenchmark
{
    public string Name => "smoke";

    public string Usage => "smoke   (converge --runs 2, static --files 3, fanout --agents 200, the same over mTLS: under a minute)";

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
        ];
        foreach (var (benchmark, options) in runs)
        {
            output.WriteLine($"== {benchmark.Name} {string.Join(' ', options)}");
            await benchmark.RunAsync(new BenchArgs(options), output, cancellationToken);
        }

        output.WriteLine($"smoke: converge, static, fanout and fanout --tls ran in {watch.Elapsed.TotalSeconds:0.0} s");
    }
}
