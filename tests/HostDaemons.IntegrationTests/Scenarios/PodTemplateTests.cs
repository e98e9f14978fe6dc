using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>The pod template on the real engine: every field as <c>docker inspect</c> shows it, volumes, shared localhost.</summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class PodTemplateTests
{
    [Fact]
    public async Task FullTemplate_Applied_EveryFieldVisibleInDockerInspect()
    {
        var node = "template-" + Suffix();
        using var host = new TempDirectory("hd-hostpath");
        File.WriteAllText(host.Combine("config.txt"), "from the host");
        await using var cluster = await TestCluster.StartAsync(node);
        var manifest = $$$"""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: full}
            spec:
              selector: {matchLabels: {app: full}}
              template:
                metadata: {labels: {app: full}}
                spec:
                  hostPID: true
                  terminationGracePeriodSeconds: 3
                  dnsConfig:
                    nameservers: ["192.0.2.53"]
                    searches: ["example.test"]
                    options: [{name: ndots, value: "2"}]
                  containers:
                  - name: main
                    image: busybox:latest
                    workingDir: /tmp
                    command: ["/bin/sh", "-c"]
                    args: ["echo $(GREETING) from $(NODE); trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done"]
                    env:
                    - {name: GREETING, value: hello}
                    - name: NODE
                      valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
                    - name: POD
                      valueFrom: {fieldRef: {fieldPath: metadata.name}}
                    - name: NS
                      valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
                    - name: HOST_IP
                      valueFrom: {fieldRef: {fieldPath: status.hostIP}}
                    ports:
                    - {containerPort: 8080, name: http}
                    - {containerPort: 5353, protocol: UDP}
                    resources:
                      limits: {cpu: 500m, memory: 64Mi}
                      requests: {cpu: 250m, memory: 32Mi}
                    securityContext:
                      runAsUser: 1000
                      runAsGroup: 1000
                      readOnlyRootFilesystem: true
                      capabilities: {add: [NET_ADMIN], drop: [MKNOD]}
                    volumeMounts:
                    - {name: config, mountPath: /etc/app/config.txt, readOnly: true}
                    - {name: data, mountPath: /data}
                    - {name: data, mountPath: /sub, subPath: nested/dir}
                    - {name: scratch, mountPath: /scratch}
                  volumes:
                  - name: config
                    hostPath: {path: "{{{host.Combine("config.txt")}}}", type: File}
                  - name: data
                    hostPath: {path: "{{{host.Combine("created")}}}", type: DirectoryOrCreate}
                  - name: scratch
                    emptyDir: {}
            """;
        await cluster.Hdctl.RunWithInputAsync(manifest, "apply", "-f", "-");
        await cluster.WaitForRunningAsync(node, "DaemonSet/full", 1);

        var inspect = await cluster.Docker.InspectAsync((await cluster.Docker.RunningAsync(node)).Single().ID);
        var config = inspect.Config!;
        var hostConfig = inspect.HostConfig!;
        Assert.Equal(["/bin/sh", "-c"], config.Entrypoint);
        Assert.Equal(["echo hello from " + node + "; trap 'exit 0' TERM; while true; do sleep 1 & wait $!; done"], config.Cmd);
        Assert.Equal("/tmp", config.WorkingDir);
        Assert.Contains("GREETING=hello", config.Env);
        Assert.Contains("NODE=" + node, config.Env);
        Assert.Contains(config.Env, e => e.StartsWith("POD=full-", StringComparison.Ordinal));
        Assert.Contains("NS=default", config.Env);
        Assert.Contains(config.Env, e => e.StartsWith("HOST_IP=", StringComparison.Ordinal) && e.Length > "HOST_IP=".Length);
        Assert.Equal(["5353/udp", "8080/tcp"], config.ExposedPorts!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("1000:1000", config.User);
        Assert.Equal(64L * 1024 * 1024, hostConfig.Memory);
        Assert.Equal(500_000_000L, hostConfig.NanoCPUs);
        Assert.Equal(256L, hostConfig.CPUShares);
        Assert.True(hostConfig.ReadonlyRootfs);
        Assert.Equal(["NET_ADMIN"], hostConfig.CapAdd);
        Assert.Equal(["MKNOD"], hostConfig.CapDrop);
        Assert.Equal("host", hostConfig.PidMode);
        Assert.Equal("none", hostConfig.NetworkMode);
        Assert.Equal(["192.0.2.53"], hostConfig.DNS);
        Assert.Equal(["example.test"], hostConfig.DNSSearch);
        Assert.Equal(["ndots:2"], hostConfig.DNSOptions);
        Assert.Equal("json-file", hostConfig.LogConfig.Type);
        Assert.Equal("10m", hostConfig.LogConfig.Config["max-size"]);
        Assert.Equal("3", hostConfig.LogConfig.Config["max-file"]);
        Assert.Contains($"{host.Combine("config.txt")}:/etc/app/config.txt:ro", hostConfig.Binds);
        Assert.Contains($"{host.Combine("created")}:/data", hostConfig.Binds);
        Assert.Contains($"{host.Combine("created", "nested", "dir")}:/sub", hostConfig.Binds);
        Assert.Contains(hostConfig.Binds, b => b.EndsWith("/volumes/scratch:/scratch", StringComparison.Ordinal));
        Assert.True(Directory.Exists(host.Combine("created", "nested", "dir")), "DirectoryOrCreate and the subPath were created on the host");
        Assert.Equal("3", config.Labels["io.hostdaemons.grace-period"]);
        Assert.False(config.Tty);
        Assert.False(config.OpenStdin);

        var pod = (await cluster.Hdctl.OkAsync("get", "pods", "-o", "name")).Trim().Split('/')[1];
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Hdctl.RunAsync("logs", pod)).Output.Contains("hello from " + node, StringComparison.Ordinal),
            "the expanded args in the container's output");
    }

    [Fact]
    public async Task HostPathTypeCheckFails_PodShowsWhyAndOtherPodsRun()
    {
        var node = "hostpath-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(node);
        var broken = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: needs-dir}
            spec:
              selector: {matchLabels: {app: needs-dir}}
              template:
                metadata: {labels: {app: needs-dir}}
                spec:
                  containers:
                  - name: main
                    image: busybox:latest
                    command: ["sleep", "3600"]
                    volumeMounts: [{name: missing, mountPath: /missing}]
                  volumes:
                  - name: missing
                    hostPath: {path: /nonexistent/hostdaemons-test, type: Directory}
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: healthy}
            spec:
              selector: {matchLabels: {app: healthy}}
              template:
                metadata: {labels: {app: healthy}}
                spec:
                  terminationGracePeriodSeconds: 0
                  containers:
                  - {name: main, image: busybox:latest, command: ["sleep", "3600"]}
            """;
        await cluster.Hdctl.RunWithInputAsync(broken, "apply", "-f", "-");

        await cluster.WaitForRunningAsync(node, "DaemonSet/healthy", 1);
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await cluster.Hdctl.RunAsync("get", "pods")).Output.Contains("CreateContainerConfigError", StringComparison.Ordinal),
            "the pod with the missing directory to say CreateContainerConfigError");
        var pod = (await cluster.Hdctl.OkAsync("get", "pods", "-o", "name")).Split('\n').First(l => l.Contains("needs-dir", StringComparison.Ordinal)).Split('/')[1];
        var describe = await cluster.Hdctl.OkAsync("describe", "pod", pod);
        Assert.Contains("hostPath type check failed: /nonexistent/hostdaemons-test is not a directory", describe, StringComparison.Ordinal);
        Assert.DoesNotContain(await cluster.Docker.ContainersAsync(node), c => c.Labels["io.hostdaemons.owner"] == "DaemonSet/needs-dir");
    }

    [Fact]
    public async Task SeveralContainers_NoHostNetwork_ShareLocalhostThroughTheSandbox()
    {
        var node = "sandbox-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(node);
        var manifest = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: pair}
            spec:
              selector: {matchLabels: {app: pair}}
              template:
                metadata: {labels: {app: pair}}
                spec:
                  terminationGracePeriodSeconds: 0
                  containers:
                  - name: server
                    image: busybox:latest
                    command: ["/bin/sh", "-c", "mkdir -p /tmp/www && echo shared-localhost > /tmp/www/index.html && exec httpd -f -p 127.0.0.1:18080 -h /tmp/www"]
                  - name: client
                    image: busybox:latest
                    command: ["/bin/sh", "-c", "while true; do wget -q -O- http://127.0.0.1:18080/ 2>&1; sleep 1; done"]
            """;
        await cluster.Hdctl.RunWithInputAsync(manifest, "apply", "-f", "-");
        await cluster.WaitForRunningAsync(node, "DaemonSet/pair", 3);

        var pod = (await cluster.Hdctl.OkAsync("get", "pods", "-o", "name")).Trim().Split('/')[1];
        await AsyncTestHelpers.WaitUntilAsync(async () => (await cluster.Hdctl.RunAsync("logs", pod, "-c", "client")).Output.Contains("shared-localhost", StringComparison.Ordinal),
            "the client to reach the server on localhost");
        var containers = await cluster.Docker.RunningAsync(node);
        var sandbox = containers.Single(c => c.Labels.TryGetValue("io.hostdaemons.sandbox", out var s) && s == "true");
        foreach (var app in containers.Where(c => c.ID != sandbox.ID))
        {
            Assert.Equal("container:" + sandbox.ID, (await cluster.Docker.InspectAsync(app.ID)).HostConfig!.NetworkMode);
        }

        Assert.Contains("2/2", await cluster.Hdctl.OkAsync("get", "pods"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrashingContainer_RestartsAtOnceThenBacksOff_LogsPreviousAndFollow()
    {
        var node = "crash-" + Suffix();
        await using var cluster = await TestCluster.StartAsync(node);
        var manifest = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: crasher}
            spec:
              selector: {matchLabels: {app: crasher}}
              template:
                metadata: {labels: {app: crasher}}
                spec:
                  containers:
                  - name: main
                    image: busybox:latest
                    command: ["/bin/sh", "-c", "echo started at $(date +%s%N); sleep 0.5; echo giving up; exit 3"]
            """;
        await cluster.Hdctl.RunWithInputAsync(manifest, "apply", "-f", "-");
        var hdctl = cluster.Hdctl;

        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            var get = await hdctl.RunAsync("get", "pods");
            return get.Output.Contains("CrashLoopBackOff", StringComparison.Ordinal) && get.Output.Contains("   1 (", StringComparison.Ordinal);
        }, "one immediate restart, then CrashLoopBackOff", describe: async () => (await hdctl.RunAsync("get", "pods")).Output);
        var pod = (await hdctl.OkAsync("get", "pods", "-o", "name")).Trim().Split('/')[1];
        var yaml = await hdctl.OkAsync("get", "pod", pod, "-o", "yaml");
        Assert.Contains("reason: CrashLoopBackOff", yaml, StringComparison.Ordinal);
        Assert.Contains("back-off 10s restarting failed container=main", yaml, StringComparison.Ordinal);
        Assert.Contains("exitCode: 3", yaml, StringComparison.Ordinal);

        var previous = await hdctl.OkAsync("logs", pod, "--previous");
        Assert.Contains("giving up", previous, StringComparison.Ordinal);

        // The third run starts after the 10 s back-off: `logs -f` is open before it and sees it start and end.
        using var follow = new StringWriter();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var following = hdctl.RunAsync(["logs", pod, "-f"], TextWriter.Synchronized(follow), TextWriter.Null, TextReader.Null, cancel.Token);
        await AsyncTestHelpers.WaitUntilAsync(() => follow.ToString().Contains("giving up", StringComparison.Ordinal), "logs -f to show the container's output",
            TimeSpan.FromSeconds(40));
        await cancel.CancelAsync();
        await following.DefaultTimeout();
    }

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];
}
