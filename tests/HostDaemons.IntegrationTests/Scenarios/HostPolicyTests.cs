using System.Text.Json.Nodes;
using HostDaemons.Agent.Runtime;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.IntegrationTests.Infrastructure;
using HostDaemons.Model.V1;
using Microsoft.Extensions.DependencyInjection;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// The agent's host policy on the real engine, against a control plane that checks nothing for it: the pods are
/// written straight into its store, as a compromised control plane would send them (its own validation refuses a
/// <c>..</c> in a hostPath; the agent must not rely on that). With <c>allowed-host-paths</c> set, a hostPath of
/// <c>/</c>, one through <c>..</c> and one through a symbolic link, all leading outside the allowed prefixes, never
/// reach the engine: the container waits with reason HostPolicyViolation and a Warning event says why. A read-only
/// prefix is mounted read-only only, and a static pod, the host administrator's own, mounts what it likes.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class HostPolicyTests
{
    private const string Violation = "HostPolicyViolation";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AllowedHostPaths_EscapesRefusedAtMountWithHostPolicyViolation_ReadOnlyPrefixEnforced_StaticPodsExempt()
    {
        var node = TestManifests.Nodes("hostpolicy", 1)[0];
        await using var cluster = await TestCluster.StartAsync();
        var data = Path.Combine(cluster.Root, "data");
        Directory.CreateDirectory(Path.Combine(data, "ok"));
        File.CreateSymbolicLink(Path.Combine(data, "x"), "/etc");
        var manifests = Path.Combine(cluster.Root, "manifests", node);
        Directory.CreateDirectory(manifests);
        await File.WriteAllTextAsync(Path.Combine(manifests, "rootfs.yaml"), TestManifests.StaticPod("rootfs").Replace(
            "    command:", "    volumeMounts: [{name: root, mountPath: /host}]\n    command:", StringComparison.Ordinal) + "\n  volumes: [{name: root, hostPath: {path: /}}]\n", Token);
        await cluster.AddNodeAsync(node, extraArgs: ["--allowed-host-paths", $"/var/log:ro,{data}"]);

        var store = cluster.ControlPlane.Services.GetRequiredService<IObjectStore>();
        (string Pod, string Path, bool ReadOnly, string Message)[] refused =
        [
            ("root", "/", true, "hostPath volume \"host\" mounts /, which is not under a path this host allows"),
            ("dotdot", "/var/log/../../etc", true, "hostPath volume \"host\" mounts /var/log/../../etc (resolved: /etc), which is not under a path this host allows"),
            ("link", $"{data}/x", true, $"hostPath volume \"host\" mounts {data}/x (resolved: /etc), which is not under a path this host allows"),
            ("logs-rw", "/var/log", false, "hostPath volume \"host\" mounts /var/log writable in container main, and this host allows it read-only only"),
        ];
        foreach (var (pod, path, readOnly, _) in refused)
        {
            await store.CreateAsync(HostPathPod(pod, node, path, readOnly), Token);
        }

        await store.CreateAsync(HostPathPod("logs-ro", node, "/var/log", readOnly: true), Token);
        await store.CreateAsync(HostPathPod("data", node, $"{data}/ok", readOnly: false), Token);

        await AsyncTestHelpers.WaitUntilAsync(async () => (await RunningPodsAsync(cluster, node)).SetEquals(["logs-ro", "data", $"rootfs-{node}"]),
            "the allowed pods and the static pod running", describe: async () => string.Join(", ", await RunningPodsAsync(cluster, node)));
        foreach (var (pod, _, _, message) in refused)
        {
            await AsyncTestHelpers.WaitUntilAsync(async () => Waiting(await cluster.Hdctl.JsonAsync("get", "pod", pod)) == Violation, $"pod {pod} waiting with {Violation}");
            var events = (await cluster.Hdctl.OkAsync("get", "events")).Split('\n').Where(l => l.Contains($"pod/{pod} ", StringComparison.Ordinal)).ToList();
            Assert.Contains(events, e => e.Contains("Warning", StringComparison.Ordinal) && e.Contains(Violation, StringComparison.Ordinal) && e.Contains(message, StringComparison.Ordinal));
        }

        // Nothing of a refused pod reached the engine; the allowed writable prefix is mounted at its resolved path, writable.
        var containers = await cluster.Docker.ContainersAsync(node);
        Assert.DoesNotContain(containers, c => refused.Any(r => c.Labels.TryGetValue(ContainerLabels.Pod, out var p) && p == r.Pod));
        var writer = containers.Single(c => c.Labels[ContainerLabels.Pod] == "data" && c.State == "running");
        await cluster.Docker.ExecAsync(writer.ID, "touch", "/host/written");
        Assert.True(File.Exists(Path.Combine(data, "ok", "written")));
    }

    /// <summary>A bare pod bound to <paramref name="node"/> whose one container mounts host path <paramref name="path"/> at /host.</summary>
    private static Pod HostPathPod(string name, string node, string path, bool readOnly) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Spec = new PodSpec
        {
            NodeName = node,
            TerminationGracePeriodSeconds = 1,
            Volumes = { new Volume { Name = "host", HostPath = new HostPathVolumeSource { Path = path } } },
            Containers =
            {
                new Container
                {
                    Name = "main",
                    Image = "busybox:latest",
                    Command = { "/bin/sh", "-c", TestManifests.SleepUntilTerm },
                    VolumeMounts = { new VolumeMount { Name = "host", MountPath = "/host", ReadOnly = readOnly } },
                },
            },
        },
    };

    private static async Task<HashSet<string>> RunningPodsAsync(TestCluster cluster, string node) =>
        [.. (await cluster.Docker.RunningAsync(node)).Where(c => !c.Labels.ContainsKey(ContainerLabels.Sandbox)).Select(c => c.Labels[ContainerLabels.Pod])];

    private static string? Waiting(JsonNode pod) => pod["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"]?.GetValue<string>();
}
