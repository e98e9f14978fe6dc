using HostDaemons.Bench.Infrastructure;

namespace HostDaemons.Bench.Benchmarks;

/// <summary>One figure of docs/benchmarks.md: reads its options, measures, prints a table and a one-line summary.</summary>
internal interface IBenchmark
{
    string Name { get; }

    string Usage { get; }

    Task RunAsync(BenchArgs args, TextWriter output, CancellationToken cancellationToken);
}
