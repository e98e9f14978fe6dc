using HostDaemons.Bench.Benchmarks;
using HostDaemons.Bench.Infrastructure;

namespace HostDaemons.Bench;

internal static class Program
{
    private static readonly IBenchmark[] s_benchmarks =
    [
        new ConvergeBenchmark(),
        new RelabelBenchmark(),
        new StaticBenchmark(),
        new FanOutBenchmark(),
        new FootprintBenchmark(),
        new StoreBenchmark(),
        new KubeGetBenchmark(),
        new KubeWatchBenchmark(),
        new SmokeBenchmark(),
    ];

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(Console.Out);
            return args.Length == 0 ? 2 : 0;
        }

        var benchmark = s_benchmarks.FirstOrDefault(b => b.Name == args[0]);
        if (benchmark is null)
        {
            Console.Error.WriteLine($"bench: unknown benchmark \"{args[0]}\"");
            PrintUsage(Console.Error);
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        try
        {
            await benchmark.RunAsync(new BenchArgs(args.Skip(1)), Console.Out, cancellation.Token);
            return 0;
        }
        catch (BenchUsageException ex)
        {
            Console.Error.WriteLine($"bench {benchmark.Name}: {ex.Message}\nusage: bench {benchmark.Usage}");
            return 2;
        }
        catch (BenchFailedException ex)
        {
            Console.Error.WriteLine($"bench {benchmark.Name}: FAILED: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine($"bench {benchmark.Name}: interrupted");
            return 130;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"bench {benchmark.Name}: FAILED: {ex}");
            return 1;
        }
    }

    private static void PrintUsage(TextWriter writer)
    {
        writer.WriteLine("usage: dotnet run --project bench/HostDaemons.Bench -c Release -- BENCHMARK [options]");
        foreach (var benchmark in s_benchmarks)
        {
            writer.WriteLine("  " + benchmark.Usage);
        }
    }
}
