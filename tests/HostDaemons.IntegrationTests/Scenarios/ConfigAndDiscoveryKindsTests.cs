using System.Text.Json.Nodes;
using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// The kinds a daemon's manifests bring along (ConfigMap, ServiceAccount, ClusterRole and bindings in v1 and v1beta1,
/// a headless Service), applied as one directory beside the DaemonSet: stored and listed as kubectl lists them, the
/// daemon's pod held back until its service account exists, the Service's EndpointSlice listing it once ready, and
/// everything namespaced gone with the namespace.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class ConfigAndDiscoveryKindsTests : IDisposable
{
    private readonly TempDirectory _manifests = new("hd-kinds");

    public void Dispose() => _manifests.Dispose();

    private static string DaemonSet(string ns) => $$"""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: collector
          namespace: {{ns}}
        spec:
          selector:
            matchLabels: {app: collector}
          template:
            metadata:
              labels: {app: collector}
            spec:
              serviceAccountName: collector
              priorityClassName: system-node-critical
              hostNetwork: true
              terminationGracePeriodSeconds: 1
              containers:
              - name: main
                image: busybox:latest
                command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done"]
                ports:
                - {name: metrics, containerPort: 19100}
        """;

    private static string Config(string ns) => $$"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: collector-config
          namespace: {{ns}}
        data:
          collector.conf: |
            [INPUT]
                Name tail
          level: info
        """;

    private static string Rbac(string ns, string suffix) => $$"""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: collector-{{suffix}}
        rules:
        - apiGroups: [""]
          resources: [pods, namespaces]
          verbs: [get, list, watch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: collector-{{suffix}}
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: collector-{{suffix}}
        subjects:
        - kind: ServiceAccount
          name: collector
          namespace: {{ns}}
        ---
        apiVersion: rbac.authorization.k8s.io/v1beta1
        kind: ClusterRoleBinding
        metadata:
          name: collector-view-{{suffix}}
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: view
        subjects:
        - kind: ServiceAccount
          name: collector
          namespace: {{ns}}
        """;

    private static string Service(string ns) => $$"""
        apiVersion: v1
        kind: Service
        metadata:
          name: collector
          namespace: {{ns}}
        spec:
          clusterIP: None
          selector: {app: collector}
          ports:
          - {name: metrics, port: 9100, targetPort: metrics}
        """;

    private static string ServiceAccount(string ns) => $"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: collector\n  namespace: {ns}\n";

    [Fact]
    public async Task ApplyDirectory_DaemonSetWithItsKinds_StoredListedPodWaitsForItsAccountAndAllGoWithTheNamespace()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var node = "kinds-" + suffix;
        var ns = "collect-" + suffix;
        await using var cluster = await TestCluster.StartAsync(node);
        var dir = _manifests.Combine("collector");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "1-daemonset.yaml"), DaemonSet(ns));
        File.WriteAllText(Path.Combine(dir, "2-configmap.yaml"), Config(ns));
        File.WriteAllText(Path.Combine(dir, "3-rbac.yaml"), Rbac(ns, suffix));
        File.WriteAllText(Path.Combine(dir, "4-service.yaml"), Service(ns));

        var applied = await cluster.Hdctl.RunAsync("apply", "-f", dir);

        Assert.True(applied.ExitCode == 0, applied.Error);
        Assert.Equal(
            $"daemonset.apps/collector created\nconfigmap/collector-config created\nclusterrole.rbac.authorization.k8s.io/collector-{suffix} created\n"
            + $"clusterrolebinding.rbac.authorization.k8s.io/collector-{suffix} created\nclusterrolebinding.rbac.authorization.k8s.io/collector-view-{suffix} created\n"
            + "service/collector created\n",
            applied.Output.ReplaceLineEndings("\n"));
        Assert.Equal(
            "Warning: rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding is deprecated in v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 ClusterRoleBinding\n",
            applied.Error.ReplaceLineEndings("\n"));

        // Without its service account the pod is not created: Kubernetes' admission message, as a FailedCreate event.
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Hdctl.RunAsync("get", "events", "-n", ns)).Output.Contains("FailedCreate", StringComparison.Ordinal),
            "a FailedCreate event for the missing service account");
        var events = (await cluster.Hdctl.OkAsync("get", "events", "-n", ns)).ReplaceLineEndings("\n");
        Assert.Contains($"Error creating: pods \"collector-\" is forbidden: error looking up service account {ns}/collector: serviceaccount \"collector\" not found", events, StringComparison.Ordinal);
        Assert.Empty((JsonArray)await cluster.Hdctl.JsonAsync("get", "pods", "-n", ns));

        File.WriteAllText(Path.Combine(dir, "0-serviceaccount.yaml"), ServiceAccount(ns));
        var again = await cluster.Hdctl.OkAsync("apply", "-f", dir);
        Assert.StartsWith("serviceaccount/collector created\ndaemonset.apps/collector unchanged\n", again.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        await cluster.WaitForRunningAsync(node, "DaemonSet/collector", 1, TimeSpan.FromSeconds(60));
        var pod = ((JsonArray)await cluster.Hdctl.JsonAsync("get", "pods", "-n", ns))[0]!;
        Assert.Equal(("collector", 2000001000), (pod["spec"]!["serviceAccountName"]!.GetValue<string>(), pod["spec"]!["priority"]!.GetValue<int>()));

        Assert.Equal(["collector-config", "2"], (await cluster.Hdctl.RunAsync("get", "cm", "-n", ns)).Row("collector-config")?[..2] ?? []);
        Assert.Equal(["collector", "0"], (await cluster.Hdctl.RunAsync("get", "sa", "-n", ns)).Row("collector")?[..2] ?? []);
        Assert.Equal(["default", "0"], (await cluster.Hdctl.RunAsync("get", "sa", "-n", ns)).Row("default")?[..2] ?? []);
        Assert.NotNull((await cluster.Hdctl.RunAsync("get", "clusterroles")).Row($"collector-{suffix}"));
        Assert.Equal($"ClusterRole/collector-{suffix}", (await cluster.Hdctl.RunAsync("get", "clusterrolebindings")).Row($"collector-{suffix}")?[1]);
        Assert.Equal("rbac.authorization.k8s.io/v1", (await cluster.Hdctl.JsonAsync("get", "clusterrolebinding", $"collector-view-{suffix}"))["apiVersion"]!.GetValue<string>());
        Assert.Equal(["collector", "ClusterIP", "None", "<none>", "9100/TCP"], (await cluster.Hdctl.RunAsync("get", "svc", "-n", ns)).Row("collector")?[..5] ?? []);

        // The headless Service's slice lists the host-network pod at its node's address, on its named port, once ready.
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            var slices = (JsonArray)await cluster.Hdctl.JsonAsync("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=collector");
            return slices.Count == 1 && slices[0]!["endpoints"]?.AsArray() is [{ } endpoint]
                && endpoint["conditions"]?["ready"]?.GetValue<bool>() == true && endpoint["nodeName"]?.GetValue<string>() == node
                && slices[0]!["ports"]?[0]?["port"]?.GetValue<int>() == 19100;
        }, "the Service's EndpointSlice to list the ready pod on port 19100",
            describe: async () => await cluster.Hdctl.OkAsync("get", "endpointslices", "-n", ns, "-o", "yaml"));
        var described = (await cluster.Hdctl.OkAsync("describe", "svc", "collector", "-n", ns)).ReplaceLineEndings("\n");
        Assert.Matches(@"Endpoints:\s+[0-9.]+:19100\n", described);

        await cluster.Hdctl.OkAsync("delete", "namespace", ns);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Hdctl.RunAsync("get", "ns", ns)).ExitCode != 0, "the namespace to go with its content",
            TimeSpan.FromSeconds(60), async () => (await cluster.Hdctl.RunAsync("get", "pods", "-n", ns)).Output);
        foreach (var kind in new[] { "cm", "sa", "svc", "endpointslices", "ds", "pods" })
        {
            Assert.Contains($"No resources found in {ns} namespace.", (await cluster.Hdctl.RunAsync("get", kind, "-n", ns)).Error, StringComparison.Ordinal);
        }

        // Cluster-wide objects are not the namespace's.
        Assert.NotNull((await cluster.Hdctl.RunAsync("get", "clusterroles")).Row($"collector-{suffix}"));
        await cluster.Hdctl.OkAsync("delete", "clusterrole", $"collector-{suffix}");
        await cluster.Hdctl.OkAsync("delete", "clusterrolebinding", $"collector-{suffix}");
        await cluster.Hdctl.OkAsync("delete", "clusterrolebinding", $"collector-view-{suffix}");
    }
}
