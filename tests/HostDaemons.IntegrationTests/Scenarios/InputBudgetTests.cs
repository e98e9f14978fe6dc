using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using Google.Protobuf;
using HostDaemons.Agent.StaticPods;
using HostDaemons.IntegrationTests.Infrastructure;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Issue 17's alias bombs and oversized requests against the real processes: the agent reading its manifest
/// directory, hdctl apply, and the control plane's gRPC and REST doors. Each is refused quickly, naming the file and
/// line, with its memory measured by the kernel.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class InputBudgetTests
{
    private const long MaxExtraBytes = 100L * 1024 * 1024;

    private const string ExcessiveAliasing = "document contains excessive aliasing";

    [Fact]
    public async Task StaticPodAliasBomb_RealAgent_RefusedNamingFileAndLine_WithLittleMemory_StaysConnected()
    {
        var node = "budget-" + Guid.NewGuid().ToString("N")[..6];
        await using var cluster = await TestCluster.StartAsync();
        var manifests = Path.Combine(cluster.Root, "manifests");
        Directory.CreateDirectory(manifests);
        await using var agent = new AgentProcess(cluster.ControlPlane.Url, node, Path.Combine(cluster.Root, "agent"), manifests);
        agent.Start();
        cluster.Track(node);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Hdctl.RunAsync("get", "node", node)).Row(node)?[1] == "Ready",
            "the agent's node to be Ready", describe: () => Task.FromResult(agent.Output));
        var before = ProcessMemory.PeakBytes(agent.Id);

        var bomb = Path.Combine(manifests, "bomb.yaml");
        var clock = Stopwatch.StartNew();
        await File.WriteAllTextAsync(bomb, AliasBombs.StaticPod(), TestContext.Current.CancellationToken);
        var logged = $"Invalid static pod manifest {bomb}:{AliasBombs.StaticPodAliasLine}: {ExcessiveAliasing}";
        await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(agent.Output.Contains(logged, StringComparison.Ordinal)),
            "the agent to log the refused manifest", describe: () => Task.FromResult(agent.Output));
        var refusedAfter = clock.Elapsed;

        // The node says so too, and the agent is still connected: no mirror, no lost connection.
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Hdctl.OkAsync("describe", "node", node))
            .Contains($"bomb.yaml:{AliasBombs.StaticPodAliasLine}: {ExcessiveAliasing}", StringComparison.Ordinal),
            "describe node to show the refused manifest");
        var extra = ProcessMemory.PeakBytes(agent.Id) - before;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"agent: alias bomb written -> refusal logged in {refusedAfter.TotalMilliseconds:F0} ms; peak RSS {before / 1048576.0:F1} MiB before, +{extra / 1048576.0:F1} MiB after");
        // The directory is read once writes to it pause (at most MaxDebounce after the first); the refusal takes less than a second after.
        Assert.InRange(refusedAfter, TimeSpan.Zero, StaticPodSource.MaxDebounce + TimeSpan.FromSeconds(1));
        Assert.InRange(extra, 0, MaxExtraBytes);
        Assert.Equal("Ready", (await cluster.Hdctl.RunAsync("get", "node", node)).Row(node)?[1]);
        Assert.DoesNotContain("bomb-", await cluster.Hdctl.OkAsync("get", "pods", "-A"), StringComparison.Ordinal);
        Assert.DoesNotContain("exceeds the maximum configured message size", agent.Output, StringComparison.Ordinal);

        // A file over the manifest limit is skipped unread and reported the same way.
        await File.WriteAllTextAsync(Path.Combine(manifests, "huge.yaml"), TestManifests.StaticPod("huge") + "#" + new string('x', 2 * 1024 * 1024),
            TestContext.Current.CancellationToken);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Hdctl.OkAsync("describe", "node", node))
            .Contains("huge.yaml: the file is", StringComparison.Ordinal), "describe node to show the oversized manifest",
            describe: () => Task.FromResult(agent.Output));
    }

    [Fact]
    public async Task DaemonSetAliasBomb_RealHdctl_RefusedNamingFileAndLine_WithLittleMemory()
    {
        await using var cluster = await TestCluster.StartAsync();
        var bomb = Path.Combine(cluster.Root, "bomb.yaml");
        var broken = Path.Combine(cluster.Root, "broken.yaml");
        await File.WriteAllTextAsync(bomb, AliasBombs.DaemonSet(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(broken, "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: [\n", TestContext.Current.CancellationToken);
        var hdctl = Path.Combine(AppContext.BaseDirectory, "hdctl");
        var environment = new Dictionary<string, string> { ["HOSTDAEMONS_SERVER"] = cluster.ControlPlane.Url, ["HOME"] = cluster.Root };

        // The same path with a small broken file is the baseline: start-up, read, report, exit.
        var baseline = await ProcessMemory.RunAsync(hdctl, ["apply", "-f", broken], environment);
        var refused = await ProcessMemory.RunAsync(hdctl, ["apply", "-f", bomb], environment);

        var extra = refused.PeakBytes - baseline.PeakBytes;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"hdctl apply: alias bomb refused in {refused.Elapsed.TotalMilliseconds:F0} ms (a broken small file: {baseline.Elapsed.TotalMilliseconds:F0} ms); " +
            $"peak RSS {refused.PeakBytes / 1048576.0:F1} MiB (small file: {baseline.PeakBytes / 1048576.0:F1} MiB)");
        Assert.NotEqual(0, baseline.ExitCode);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"{bomb}:{AliasBombs.DaemonSetAliasLine}:", refused.Error, StringComparison.Ordinal);
        Assert.Contains(ExcessiveAliasing, refused.Error, StringComparison.Ordinal);
        Assert.InRange(refused.Elapsed - baseline.Elapsed, TimeSpan.MinValue, TimeSpan.FromSeconds(1));
        Assert.InRange(extra, long.MinValue, MaxExtraBytes);
        var get = await cluster.Hdctl.RunAsync("get", "daemonset", "bomb");
        Assert.Equal("Error from server (NotFound): daemonsets.apps \"bomb\" not found\n", get.Error);
    }

    [Fact]
    public async Task OversizedRequests_RefusedWithKubernetesWords_OnGrpcAndRest()
    {
        await using var cluster = await TestCluster.StartAsync();

        // gRPC: an object over 3 MiB is refused when written, in Kubernetes' words.
        using var channel = GrpcChannel.ForAddress(cluster.ControlPlane.Url);
        var big = new ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new ObjectMeta { Name = "big", Namespace = "default" } };
        big.Data["k"] = new string('d', InputLimits.MaxRequestBytes + 1);
        var request = new ApiObject { ConfigMap = big }.ToByteString();
        var grpc = await Assert.ThrowsAsync<RpcException>(() => RawGrpc.UnaryAsync(channel, "hostdaemons.v1.AdminService", "Apply",
            [0x0A, .. Varint(request.Length), .. request.ToByteArray()]));
        Assert.Equal((StatusCode.ResourceExhausted, InputLimits.RequestEntityTooLarge), (grpc.StatusCode, grpc.Status.Detail));

        // hdctl cannot be made to send one: a document that large is refused as it is read, naming the file.
        var file = Path.Combine(cluster.Root, "big.yaml");
        await File.WriteAllTextAsync(file, $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  k: \"{new string('d', InputLimits.MaxRequestBytes)}\"\n",
            TestContext.Current.CancellationToken);
        var applied = await cluster.Hdctl.RunAsync("apply", "-f", file);
        Assert.Equal($"error: {file}:1:1: the document is larger than the 3145728 bytes a document may have\n", applied.Error);

        // REST: a body over 3 MiB is answered 413 with a Status.
        using var http = new HttpClient { BaseAddress = new Uri(cluster.ControlPlane.Url) };
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "big" },
            ["data"] = new JsonObject { ["k"] = new string('d', InputLimits.MaxRequestBytes) },
        };
        using var tooLarge = await http.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        var status = JsonNode.Parse(await tooLarge.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal(("Status", "Failure", "RequestEntityTooLarge", 413, "Request entity too large: limit is 3145728"),
            (status["kind"]!.GetValue<string>(), status["status"]!.GetValue<string>(), status["reason"]!.GetValue<string>(),
                status["code"]!.GetValue<int>(), status["message"]!.GetValue<string>()));

        // REST: a YAML body whose aliases would expand past the budget is refused before it is expanded.
        using var aliases = await http.PostAsync("/apis/apps/v1/namespaces/default/daemonsets",
            new StringContent(AliasBombs.DaemonSet(), Encoding.UTF8, "application/yaml"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, aliases.StatusCode);
        Assert.Contains($"line {AliasBombs.DaemonSetAliasLine}: {ExcessiveAliasing}", await aliases.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            StringComparison.Ordinal);
    }

    /// <summary>A protobuf length prefix.</summary>
    private static byte[] Varint(int value)
    {
        var bytes = new List<byte>();
        for (; value >= 0x80; value >>= 7)
        {
            bytes.Add((byte)(value | 0x80));
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }
}
