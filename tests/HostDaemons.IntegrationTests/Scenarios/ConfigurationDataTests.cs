using System.Diagnostics;
using System.Text.Json.Nodes;
using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// ConfigMaps, Secrets, the downward API and termination messages on the real engine, seen from inside the running
/// containers: files with their content, modes and the atomic <c>..data</c> layout, env values, an edited ConfigMap
/// reaching its mounted file, a missing one holding the pod in ContainerCreating until it is applied.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class ConfigurationDataTests
{
    /// <summary>The agents here re-read objects every 2 s (20 s by default), so changes show quickly.</summary>
    private static readonly string[] s_fastRefresh = ["--pod-resource-refresh-period", "2s"];

    private const string Objects = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: app-config}
        data:
          app.conf: level=info
          MODE: fast
          1bad: skipped
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: app-secret}
        type: Opaque
        stringData:
          password: s3cr3t
        """;

    private static readonly string s_daemon = $$$"""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: configured}
        spec:
          selector: {matchLabels: {app: configured}}
          template:
            metadata:
              labels: {app: configured, tier: backend}
              annotations: {note: 'say "hi"'}
            spec:
              terminationGracePeriodSeconds: 2
              containers:
              - name: main
                image: busybox:latest
                command: ["/bin/sh", "-c", "{{{TestManifests.SleepUntilTerm}}}"]
                env:
                - name: MODE
                  valueFrom: {configMapKeyRef: {name: app-config, key: MODE}}
                - name: PASSWORD
                  valueFrom: {secretKeyRef: {name: app-secret, key: password}}
                - name: MEMORY_MB
                  valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}
                envFrom:
                - configMapRef: {name: app-config}
                - {configMapRef: {name: app-config}, prefix: CFG_}
                resources: {limits: {memory: 64Mi}}
                volumeMounts:
                - {name: config, mountPath: /etc/app}
                - {name: config, mountPath: /etc/app-conf-file, subPath: app.conf}
                - {name: secret, mountPath: /etc/secret}
                - {name: podinfo, mountPath: /etc/podinfo}
                - {name: all, mountPath: /etc/all}
              volumes:
              - name: config
                configMap:
                  name: app-config
                  items: [{key: app.conf, path: app.conf, mode: 384}, {key: MODE, path: mode}]
              - name: secret
                secret: {secretName: app-secret, defaultMode: 256}
              - name: podinfo
                downwardAPI:
                  items:
                  - {path: labels, fieldRef: {fieldPath: metadata.labels}}
                  - {path: annotations, fieldRef: {fieldPath: metadata.annotations}}
                  - {path: name, fieldRef: {fieldPath: metadata.name}}
              - name: all
                projected:
                  sources:
                  - configMap: {name: app-config, items: [{key: MODE, path: config/mode}]}
                  - secret: {name: app-secret}
                  - downwardAPI: {items: [{path: namespace, fieldRef: {fieldPath: metadata.namespace}}]}
        """;

    [Fact]
    public async Task ConfigMapSecretAndDownwardApi_InsideTheContainer_ThenAnEditReachesTheFile()
    {
        var node = TestManifests.Nodes("cfgdata", 1)[0];
        await using var cluster = await TestCluster.StartAsync();
        await cluster.AddNodeAsync(node, extraArgs: s_fastRefresh);
        await cluster.Hdctl.OkAsync("apply", "-f", Write(cluster, "objects.yaml", Objects));
        await cluster.Hdctl.OkAsync("apply", "-f", Write(cluster, "daemon.yaml", s_daemon));
        await cluster.WaitForRunningAsync(node, "DaemonSet/configured", 1);
        var id = (await cluster.Docker.RunningAsync(node)).Single().ID;
        Task<string> Cat(string path) => cluster.Docker.ExecAsync(id, "cat", path);
        Task<string> Sh(string script) => cluster.Docker.ExecAsync(id, "sh", "-c", script);

        // configMap: items renamed, modes, the atomic layout, read-only.
        Assert.Equal("level=info", await Cat("/etc/app/app.conf"));
        Assert.Equal("fast", await Cat("/etc/app/mode"));
        Assert.Equal("600 644", (await Sh("stat -L -c %a /etc/app/app.conf /etc/app/mode")).Replace('\n', ' ').Trim());
        Assert.Equal("..data/app.conf", (await Sh("readlink /etc/app/app.conf")).Trim());
        Assert.Matches(@"^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d{9}$", (await Sh("readlink /etc/app/..data")).Trim());
        var entries = (await Sh("ls -a /etc/app")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(e => e is not "." and not "..").ToList();
        Assert.Equal(["..data", "app.conf", "mode"], entries.Where(e => !e.StartsWith("..2", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Single(entries, e => e.StartsWith("..2", StringComparison.Ordinal));
        Assert.Contains("Read-only file system", await Sh("touch /etc/app/new 2>&1; true"), StringComparison.Ordinal);
        Assert.Equal("level=info", await Cat("/etc/app-conf-file"));

        // secret: on the host's tmpfs, mode 0400.
        Assert.Equal("s3cr3t", await Cat("/etc/secret/password"));
        Assert.Equal("400", (await Sh("stat -L -c %a /etc/secret/password")).Trim());
        var inspect = await cluster.Docker.InspectAsync(id);
        Assert.Contains(inspect.HostConfig!.Binds, b => b.StartsWith($"/dev/shm/hostdaemons/{node}/", StringComparison.Ordinal) && b.EndsWith(":/etc/secret:ro", StringComparison.Ordinal));

        // downwardAPI and projected.
        var labels = (await Cat("/etc/podinfo/labels")).Split('\n');
        Assert.Contains("app=\"configured\"", labels);
        Assert.Contains("tier=\"backend\"", labels);
        Assert.Contains("note=\"say \\\"hi\\\"\"", (await Cat("/etc/podinfo/annotations")).Split('\n'));
        var pod = Assert.Single(await PodState.ListAsync(cluster.Hdctl));
        Assert.Equal(pod.Name, await Cat("/etc/podinfo/name"));
        Assert.Equal("fast", await Cat("/etc/all/config/mode"));
        Assert.Equal("s3cr3t", await Cat("/etc/all/password"));
        Assert.Equal("default", await Cat("/etc/all/namespace"));

        // env: keyRefs, resources, envFrom (an invalid name skipped with the kubelet's event), env over envFrom.
        var environment = (await Cat("/proc/1/environ")).Split('\0');
        Assert.Contains("MODE=fast", environment);
        Assert.Contains("PASSWORD=s3cr3t", environment);
        Assert.Contains("MEMORY_MB=64", environment);
        Assert.Contains("app.conf=level=info", environment);
        Assert.Contains("CFG_MODE=fast", environment);
        Assert.Contains("CFG_1bad=skipped", environment);
        Assert.DoesNotContain(environment, e => e.StartsWith("1bad=", StringComparison.Ordinal));
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await cluster.Hdctl.OkAsync("get", "events")).Contains(
                "Keys [1bad] from the EnvFrom configMap default/app-config were skipped since they are considered invalid environment variable names.", StringComparison.Ordinal),
            "the InvalidEnvironmentVariableNames event");

        // An edit reaches the mounted files (not the subPath file, not env) without restarting the container.
        var edited = Objects.Replace("level=info", "level=debug", StringComparison.Ordinal).Replace("MODE: fast", "MODE: slow", StringComparison.Ordinal);
        var clock = Stopwatch.StartNew();
        await cluster.Hdctl.OkAsync("apply", "-f", Write(cluster, "objects.yaml", edited));
        await AsyncTestHelpers.WaitUntilAsync(async () => await Cat("/etc/app/app.conf") == "level=debug", "the edited ConfigMap in the mounted file",
            TimeSpan.FromSeconds(60));
        var latency = clock.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"edit to mounted file: {latency.TotalSeconds:0.0} s (refresh period 2 s)");
        Assert.True(latency < TimeSpan.FromSeconds(60), $"took {latency}");
        await AsyncTestHelpers.WaitUntilAsync(async () => await Cat("/etc/all/config/mode") == "slow", "the projected volume updated too");
        Assert.Equal("level=info", await Cat("/etc/app-conf-file"));
        Assert.Contains("MODE=fast", (await Cat("/proc/1/environ")).Split('\0'));
        Assert.Equal(id, (await cluster.Docker.RunningAsync(node)).Single().ID);
        Assert.Matches(@"^\.\.\d{4}_", (await Sh("ls -a /etc/app | grep '^\\.\\.2'")).Trim());
        Assert.Single((await Sh("ls -a /etc/app")).Split('\n'), e => e.StartsWith("..2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingConfigMap_ContainerCreatingWithFailedMount_StartsOnceApplied()
    {
        var node = TestManifests.Nodes("cfgmissing", 1)[0];
        await using var cluster = await TestCluster.StartAsync();
        await cluster.AddNodeAsync(node, extraArgs: s_fastRefresh);
        await cluster.Hdctl.OkAsync("apply", "-f", Write(cluster, "daemon.yaml", TestManifests.Daemon("late", podSpec: """
            volumes:
            - name: config
              configMap: {name: late-config}
            """).Replace("        command:", "        volumeMounts: [{name: config, mountPath: /etc/late}]\n        command:", StringComparison.Ordinal)));

        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Hdctl.OkAsync("get", "events")).Contains(
            "MountVolume.SetUp failed for volume \"config\" : configmap \"late-config\" not found", StringComparison.Ordinal), "the FailedMount event");
        Assert.Contains("FailedMount", await cluster.Hdctl.OkAsync("get", "events"), StringComparison.Ordinal);
        await AsyncTestHelpers.WaitUntilAsync(async () => Waiting(await cluster.Hdctl.JsonAsync("get", "pods")) == "ContainerCreating", "the pod in ContainerCreating");
        Assert.Contains("ContainerCreating", await cluster.Hdctl.OkAsync("get", "pods"), StringComparison.Ordinal);
        Assert.Empty(await cluster.Docker.ContainersAsync(node));

        var clock = Stopwatch.StartNew();
        await cluster.Hdctl.OkAsync("apply", "-f", Write(cluster, "late.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: late-config}
            data: {greeting: hello}
            """));
        await cluster.WaitForRunningAsync(node, "DaemonSet/late", 1);
        TestContext.Current.TestOutputHelper?.WriteLine($"ConfigMap applied to container running: {clock.Elapsed.TotalSeconds:0.0} s (refresh period 2 s)");
        var id = (await cluster.Docker.RunningAsync(node)).Single().ID;
        Assert.Equal("hello", await cluster.Docker.ExecAsync(id, "cat", "/etc/late/greeting"));
    }

    [Fact]
    public async Task TerminatedContainers_TheirTerminationMessagesInTheStatus()
    {
        var node = TestManifests.Nodes("cfgterm", 1)[0];
        await using var cluster = await TestCluster.StartAsync(node);
        await cluster.Hdctl.OkAsync("apply", "-f", Write(cluster, "daemon.yaml", """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: last-words}
            spec:
              selector: {matchLabels: {app: last-words}}
              template:
                metadata: {labels: {app: last-words}}
                spec:
                  hostNetwork: true
                  containers:
                  - name: writer
                    image: busybox:latest
                    command: ["/bin/sh", "-c", "printf bye > /dev/termination-log; exit 1"]
                  - name: logger
                    image: busybox:latest
                    terminationMessagePolicy: FallbackToLogsOnError
                    command: ["/bin/sh", "-c", "echo starting; echo oops; exit 2"]
            """));

        string? writer = null, logger = null;
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            var pod = (await cluster.Hdctl.JsonAsync("get", "pods")).AsArray().SingleOrDefault();
            if (pod is null)
            {
                return false;
            }

            writer = TerminationMessage(pod, "writer");
            logger = TerminationMessage(pod, "logger");
            return writer is not null && logger is not null;
        }, "both termination messages", describe: () => Task.FromResult($"writer={writer}, logger={logger}"));

        Assert.Equal("bye", writer);
        Assert.Equal("starting\noops\n", logger);
    }

    private static string Write(TestCluster cluster, string name, string content)
    {
        var path = Path.Combine(cluster.Root, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string? Waiting(JsonNode pods) =>
        pods.AsArray().SingleOrDefault()?["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"]?.GetValue<string>();

    /// <summary>The message of the container's terminated state or last state, once there is one.</summary>
    private static string? TerminationMessage(JsonNode pod, string container)
    {
        var status = pod["status"]?["containerStatuses"]?.AsArray().FirstOrDefault(c => c?["name"]?.GetValue<string>() == container);
        var terminated = status?["state"]?["terminated"] ?? status?["lastState"]?["terminated"];
        return terminated?["message"]?.GetValue<string>();
    }
}
