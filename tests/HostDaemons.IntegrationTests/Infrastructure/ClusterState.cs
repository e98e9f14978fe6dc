using System.Text.Json.Nodes;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>A DaemonSet's counters as <c>hdctl get ds -o json</c> reports them.</summary>
public sealed record DaemonSetState(
    long Generation, long ObservedGeneration, int Desired, int Current, int Ready, int Updated, int Available, int Unavailable, int Misscheduled)
{
    /// <summary>What a settled DaemonSet on <paramref name="nodes"/> nodes reports at <paramref name="generation"/>.</summary>
    public static DaemonSetState Settled(int nodes, long generation = 1) =>
        new(generation, generation, nodes, nodes, nodes, nodes, nodes, 0, 0);

    public static DaemonSetState From(JsonNode ds)
    {
        var status = ds["status"];
        return new DaemonSetState(
            Long(ds["metadata"]?["generation"]), Long(status?["observedGeneration"]),
            Int(status?["desiredNumberScheduled"]), Int(status?["currentNumberScheduled"]), Int(status?["numberReady"]),
            Int(status?["updatedNumberScheduled"]), Int(status?["numberAvailable"]), Int(status?["numberUnavailable"]),
            Int(status?["numberMisscheduled"]));
    }

    public static async Task<DaemonSetState> GetAsync(Hdctl hdctl, string name, string @namespace = "default") =>
        From(await hdctl.JsonAsync("get", "ds", name, "-n", @namespace));

    /// <summary>Waits until the DaemonSet reports exactly <paramref name="expected"/>.</summary>
    public static async Task WaitForAsync(Hdctl hdctl, string name, DaemonSetState expected, string @namespace = "default", TimeSpan? timeout = null)
    {
        DaemonSetState? last = null;
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (last = await GetAsync(hdctl, name, @namespace)) == expected,
            $"daemonset {name} to report {expected}",
            timeout,
            () => Task.FromResult($"last: {last}"));
    }

    private static int Int(JsonNode? node) => node?.GetValue<int>() ?? 0;

    private static long Long(JsonNode? node) => node is null ? 0 : long.Parse(node.ToString(), System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A pod as <c>hdctl get pods -o json</c> reports it.</summary>
public sealed record PodState(string Namespace, string Name, string Uid, string Node, string Phase, bool Ready, bool Terminating, string? Owner)
{
    public static PodState From(JsonNode pod)
    {
        var metadata = pod["metadata"]!;
        var ready = pod["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready");
        return new PodState(
            metadata["namespace"]!.GetValue<string>(),
            metadata["name"]!.GetValue<string>(),
            metadata["uid"]!.GetValue<string>(),
            pod["spec"]?["nodeName"]?.GetValue<string>() ?? "",
            pod["status"]?["phase"]?.GetValue<string>() ?? "",
            ready?["status"]?.GetValue<string>() == "True",
            metadata["deletionTimestamp"] is not null,
            metadata["ownerReferences"]?.AsArray().FirstOrDefault()?["name"]?.GetValue<string>());
    }

    /// <summary>The pods <c>hdctl get pods ARGS</c> lists.</summary>
    public static async Task<IReadOnlyList<PodState>> ListAsync(Hdctl hdctl, params string[] args)
    {
        var result = await hdctl.RunAsync(["get", "pods", .. args, "-o", "json"]);
        Assert.True(result.ExitCode == 0, $"hdctl {result.Command} failed: {result.Error}");
        var node = JsonNode.Parse(result.Output)!;
        return node["kind"]?.GetValue<string>() == "List" ? [.. node["items"]!.AsArray().Select(p => From(p!))] : [From(node)];
    }
}
