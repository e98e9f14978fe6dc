using System.Text.Json.Nodes;
using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Init containers on the real engine: run in order to completion before the app starts, a failing one restarted with
/// the crash back-off while the pod stays in Init, and sidecars (restartPolicy Always) started before the app and kept
/// running.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class InitContainerTests
{
    [Fact]
    public async Task InitContainers_RunInOrderToCompletion_BeforeTheAppStarts()
    {
        var node = "init-order-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(node);
        await cluster.ApplyDaemonAsync("ordered", """
            terminationGracePeriodSeconds: 0
            initContainers:
            - name: first
              image: busybox:latest
              command: ["/bin/sh", "-c", "echo first >> /work/order"]
              volumeMounts: [{name: work, mountPath: /work}]
            - name: second
              image: busybox:latest
              command: ["/bin/sh", "-c", "sleep 1; echo second >> /work/order"]
              volumeMounts: [{name: work, mountPath: /work}]
            containers:
            - name: app
              image: busybox:latest
              command: ["/bin/sh", "-c", "echo app saw $(cat /work/order | tr '\\n' ' '); exec sleep 3600"]
              volumeMounts: [{name: work, mountPath: /work}]
            volumes:
            - {name: work, emptyDir: {}}
            """);

        var pod = await WaitForPodAsync(cluster, p => Status(p)["phase"]?.GetValue<string>() == "Running", "the pod to run its app");
        var name = pod["metadata"]!["name"]!.GetValue<string>();
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await cluster.Hdctl.RunAsync("logs", name, "-c", "app")).Output.Contains("app saw first second", StringComparison.Ordinal),
            "the app to find both init containers' marks, in order");
        var inits = Status(pod)["initContainerStatuses"]!.AsArray();
        Assert.Equal(["first", "second"], inits.Select(s => s!["name"]!.GetValue<string>()));
        Assert.All(inits, s => Assert.Equal("Completed", s!["state"]!["terminated"]!["reason"]!.GetValue<string>()));
        Assert.Equal("True", Condition(pod, "Initialized"));

        // Completed init containers are kept (exited), so their logs stay and an agent restart does not run them again.
        var exited = (await cluster.Docker.ContainersAsync(node)).Where(c => c.State == "exited").Select(c => c.Labels["io.hostdaemons.container"]).Order().ToList();
        Assert.Equal(["first", "second"], exited);
        await cluster.Agent(node).StopAsync();
        await cluster.Agent(node).StartAsync();
        pod = await WaitForPodAsync(cluster, p => Status(p)["phase"]?.GetValue<string>() == "Running", "the pod to run after the agent's restart");
        Assert.All(Status(pod)["initContainerStatuses"]!.AsArray(), s => Assert.Equal(0, s!["restartCount"]?.GetValue<int>() ?? 0));
        Assert.Equal(2, (await cluster.Docker.ContainersAsync(node)).Count(c => c.State == "exited"));
    }

    [Fact]
    public async Task FailingInitContainer_RestartedWithBackOff_PodStaysInInit()
    {
        var node = "init-fail-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(node);
        await cluster.ApplyDaemonAsync("stuck", """
            terminationGracePeriodSeconds: 0
            initContainers:
            - name: check
              image: busybox:latest
              command: ["/bin/sh", "-c", "echo not yet; exit 3"]
            containers:
            - {name: app, image: busybox:latest, command: ["sleep", "3600"]}
            """);

        var pod = await WaitForPodAsync(
            cluster,
            p => Status(p)["initContainerStatuses"]?[0] is { } s && s["state"]?["waiting"]?["reason"]?.GetValue<string>() == "CrashLoopBackOff"
                && s["restartCount"]?.GetValue<int>() >= 1,
            "the failing init container, restarted, to wait out its crash back-off");

        var init = Status(pod)["initContainerStatuses"]![0]!;
        Assert.Equal(3, init["lastState"]!["terminated"]!["exitCode"]!.GetValue<int>());
        Assert.Equal("PodInitializing", Status(pod)["containerStatuses"]![0]!["state"]!["waiting"]!["reason"]!.GetValue<string>());
        Assert.Equal("Pending", Status(pod)["phase"]!.GetValue<string>());
        Assert.Equal("False", Condition(pod, "Initialized"));
        Assert.DoesNotContain(await cluster.Docker.ContainersAsync(node), c => c.Labels["io.hostdaemons.container"] == "app");

        // As kubectl prints it (polled: between back-offs the next attempt shows Init:Error for a moment).
        var name = pod["metadata"]!["name"]!.GetValue<string>();
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await cluster.Hdctl.RunAsync("get", "pods")).Row(name)?[1..3] is ["0/1", "Init:CrashLoopBackOff"],
            "get pods to print READY 0/1 and STATUS Init:CrashLoopBackOff");
    }

    [Fact]
    public async Task Sidecar_StartedBeforeTheApp_KeptRunningAndRestarted()
    {
        var node = "sidecar-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(node);
        await cluster.ApplyDaemonAsync("with-sidecar", """
            terminationGracePeriodSeconds: 0
            initContainers:
            - name: proxy
              image: busybox:latest
              restartPolicy: Always
              command: ["/bin/sh", "-c", "mkdir -p /www && echo from-sidecar > /www/index.html && exec httpd -f -p 127.0.0.1:19090 -h /www"]
              startupProbe:
                tcpSocket: {port: 19090}
                periodSeconds: 1
                failureThreshold: 30
            containers:
            - name: app
              image: busybox:latest
              command: ["/bin/sh", "-c", "wget -q -O- http://127.0.0.1:19090/ || echo sidecar-not-up; exec sleep 3600"]
            """);

        var pod = await WaitForPodAsync(cluster, p => Status(p)["phase"]?.GetValue<string>() == "Running"
            && Status(p)["initContainerStatuses"]?[0]?["ready"]?.GetValue<bool>() == true
            && Status(p)["containerStatuses"]?[0]?["ready"]?.GetValue<bool>() == true, "the sidecar and the app to run ready");
        var name = pod["metadata"]!["name"]!.GetValue<string>();
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await cluster.Hdctl.RunAsync("logs", name, "-c", "app")).Output.Contains("from-sidecar", StringComparison.Ordinal),
            "the app to reach the sidecar at its start", describe: async () => (await cluster.Hdctl.RunAsync("logs", name, "-c", "app")).Output);
        Assert.Equal("True", Condition(pod, "Ready"));

        var sidecar = (await cluster.Docker.RunningAsync(node)).Single(c => c.Labels["io.hostdaemons.container"] == "proxy");
        var app = (await cluster.Docker.RunningAsync(node)).Single(c => c.Labels["io.hostdaemons.container"] == "app");
        await cluster.Docker.KillAsync(sidecar.ID);

        await WaitForPodAsync(cluster, p => Status(p)["initContainerStatuses"]?[0]?["restartCount"]?.GetValue<int>() == 1
            && Status(p)["initContainerStatuses"]?[0]?["state"]?["running"] is not null, "the sidecar to be restarted");
        Assert.Contains(await cluster.Docker.RunningAsync(node), c => c.ID == app.ID);
    }

    private static async Task<JsonNode> WaitForPodAsync(TestCluster cluster, Func<JsonNode, bool> condition, string because)
    {
        JsonNode? found = null;
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (found = (await cluster.Hdctl.JsonAsync("get", "pods")).AsArray().FirstOrDefault(p => p is not null && condition(p))) is not null,
            because,
            describe: async () => (await cluster.Hdctl.RunAsync("get", "pods", "-o", "yaml")).Output);
        return found!;
    }

    private static JsonNode Status(JsonNode pod) => pod["status"] ?? new JsonObject();

    private static string? Condition(JsonNode pod, string type) =>
        Status(pod)["conditions"]?.AsArray().FirstOrDefault(c => c?["type"]?.GetValue<string>() == type)?["status"]?.GetValue<string>();

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];
}
