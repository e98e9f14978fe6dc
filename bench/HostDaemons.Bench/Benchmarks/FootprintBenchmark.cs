using System.Diagnostics;
using System.Globalization;
using HostDaemons.Bench.Infrastructure;

namespace HostDaemons.Bench.Benchmarks;

/// <summary>
/// Figure 5: the agent's resident memory and CPU, idle, with no pods and with 20 (its own process: a child), the
/// control plane's beside it, and the size of each published executable.
/// </summary>
internal sealed class FootprintBenchmark : IBenchmark
{
    private static readonly string[] s_executables = ["hostdaemons-agent", "hostdaemons-controlplane", "hdctl"];

    public string Name => "footprint";

    public string Usage => "footprint [--duration 60s] [--settle 10s] [--pods 20] [--no-sizes] [--agent-bin PATH]";

    public async Task RunAsync(BenchArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var duration = args.Duration("duration", TimeSpan.FromSeconds(60));
        var settle = args.Duration("settle", TimeSpan.FromSeconds(10));
        var pods = args.Int("pods", 20);
        var sizes = !args.Flag("no-sizes");
        var agentBin = args.String("agent-bin");
        args.RejectUnknown();

        var table = new Table("process, state", "RSS end", "RSS max", "CPU s", "CPU %", "window");
        var summary = new List<string>();
        await Cluster.RunWithEngineAsync(async (cluster, docker, cp) =>
        {
            var node = cluster.Prefix + "-n1";
            var agent = await cluster.StartAgentAsync(node, cancellationToken, executable: agentBin);

            await Task.Delay(settle, cancellationToken);
            await ObserveAsync(table, summary, "agent, 0 pods", agent.Pid, "control plane, 1 node, 0 pods", cp.Pid, duration, cancellationToken);

            for (var i = 0; i < pods; i++)
            {
                await cluster.Admin.ApplyAsync(Manifests.DaemonSet($"{cluster.Prefix}-p{i}", nodeSelector: "kubernetes.io/hostname: " + node), cancellationToken);
            }

            await docker.WaitAsync(events => events.Where(e => e.Action == "start").Select(e => e.Owner).Distinct().Count() >= pods ? true : (bool?)null,
                TimeSpan.FromMinutes(3), $"{pods} pods running", cancellationToken);
            await Task.Delay(settle, cancellationToken);
            await ObserveAsync(table, summary, $"agent, {pods} pods", agent.Pid, $"control plane, 1 node, {pods} pods", cp.Pid, duration, cancellationToken);
        }, cancellationToken);

        output.WriteLine("agent: " + (agentBin ?? ChildProcess.BinaryPath("hostdaemons-agent") + " (framework-dependent, as scripts/build makes it)"));
        output.Write(table.ToString());
        if (sizes)
        {
            var (source, found) = await ExecutableSizesAsync(cancellationToken);
            var sizeTable = new Table("executable (" + source + ")", "size");
            foreach (var (name, bytes) in found)
            {
                sizeTable.Add(name, Fmt.Mb(bytes));
            }

            output.Write(sizeTable.ToString());
            output.WriteLine("footprint: " + string.Join(", ", summary) + "; executables " + string.Join(", ", found.Select(f => $"{f.Name} {Fmt.Mb(f.Bytes)}")));
        }
        else
        {
            output.WriteLine("footprint: " + string.Join(", ", summary));
        }
    }

    private static async Task ObserveAsync(Table table, List<string> summary, string agentLabel, int agentPid, string cpLabel, int cpPid, TimeSpan window, CancellationToken cancellationToken)
    {
        var agent = ProcessWatch.ObserveAsync(agentPid, window, cancellationToken);
        var cp = ProcessWatch.ObserveAsync(cpPid, window, cancellationToken);
        foreach (var (label, result) in new[] { (agentLabel, await agent), (cpLabel, await cp) })
        {
            table.Add(label, Fmt.Mb(result.LastRss), Fmt.Mb(result.MaxRss), Fmt.Seconds(result.CpuSeconds),
                Fmt.Num(result.CpuSeconds / result.Seconds * 100, "0.00") + " %", Fmt.Num(result.Seconds, "0") + " s");
            summary.Add($"{label} {Fmt.Mb(result.LastRss)} RSS {Fmt.Num(result.CpuSeconds / result.Seconds * 100, "0.00")} % CPU");
        }
    }

    /// <summary>The self-contained single-file executables the packages ship: from scripts/package's output, else published here.</summary>
    private static async Task<(string Source, List<(string Name, long Bytes)> Found)> ExecutableSizesAsync(CancellationToken cancellationToken)
    {
        var root = RepoRoot();
        var publish = Path.Combine(root, "artifacts", "publish-linux-x64");
        if (s_executables.All(e => File.Exists(Path.Combine(publish, e))))
        {
            return ("self-contained, artifacts/publish-linux-x64", s_executables.Select(e => (e, new FileInfo(Path.Combine(publish, e)).Length)).ToList());
        }

        var packages = Path.Combine(root, "artifacts", "packages");
        var debs = s_executables.Select(e => Directory.Exists(packages) ? Directory.GetFiles(packages, e + "_*.deb").FirstOrDefault() : null).ToList();
        if (debs.All(d => d is not null))
        {
            var found = new List<(string, long)>();
            for (var i = 0; i < s_executables.Length; i++)
            {
                var listing = await RunAsync("dpkg-deb", ["-c", debs[i]!], cancellationToken);
                var line = listing.Split('\n').First(l => l.EndsWith("/usr/bin/" + s_executables[i], StringComparison.Ordinal));
                var size = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
                found.Add((s_executables[i], size));
                found.Add((Path.GetFileName(debs[i]!), new FileInfo(debs[i]!).Length));
            }

            return ("self-contained single file, from artifacts/packages", found);
        }

        var output = Path.Combine(Path.GetTempPath(), "hostdaemons-bench-publish");
        foreach (var project in new[] { "agent/HostDaemons.Agent", "controlplane/HostDaemons.ControlPlane", "cli/HostDaemons.Cli" })
        {
            await RunAsync("dotnet", ["publish", Path.Combine(root, project), "-c", "Release", "-r", "linux-x64", "--self-contained", "-p:PublishSingleFile=true",
                "-p:IncludeNativeLibrariesForSelfExtract=true", "-p:DebugType=none", "-o", output, "--nologo", "-v", "quiet"], cancellationToken);
        }

        return ("self-contained single file, published now", s_executables.Select(e => (e, new FileInfo(Path.Combine(output, e)).Length)).ToList());
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HostDaemons.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private static async Task<string> RunAsync(string file, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new BenchFailedException($"could not run {file}");
        var text = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? text : throw new BenchFailedException($"{file} {string.Join(' ', args)} failed with exit code {process.ExitCode}");
    }
}
