using HostDaemons.IntegrationTests.Infrastructure;
using HostDaemons.Model.Security;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// A client inside a pod, as fluent-bit's or Vector's Kubernetes filters run: the official C# client's in-cluster
/// configuration, with nothing but what the agent gives every pod (KUBERNETES_SERVICE_HOST/PORT and the service account
/// volume's token, ca.crt and namespace), against a TLS control plane and a real agent that joined with a token. RBAC
/// decides: a RoleBinding to <c>view</c> lets it list the pods on its node, not the Secrets. When the pod goes, its
/// token files go with it.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class InPodClientTests : IDisposable
{
    private readonly TempDirectory _directory = new("hd-inpod");

    [Fact]
    public async Task A_pod_lists_the_pods_on_its_node_with_its_mounted_token_and_is_forbidden_the_secrets()
    {
        var node = "inpod-" + Guid.NewGuid().ToString("N")[..6];
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var admin = Hdctl.WithKubeconfig(controlPlane.AdminConf);
        using var kubectl = Kubectl.WithKubeconfig(controlPlane.AdminConf);
        var created = await admin.RunAsync("token", "create");
        Assert.True(JoinToken.TryParse(created.Output, out var joinToken, out var error), error);
        var tokenFile = _directory.Combine("join-token");
        await File.WriteAllTextAsync(tokenFile, joinToken + "\n", TestContext.Current.CancellationToken);
        using var docker = new DockerProbe();
        var stateDir = _directory.Combine("agent");
        await using var agent = await TestAgent.StartAsync(controlPlane.Url, node, stateDir, _directory.Combine("manifests"), extraArgs: ["--join-token-file", tokenFile]);
        try
        {
            var access = await kubectl.RunWithInputAsync("""
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: probe
                  namespace: default
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata:
                  name: probe-view
                  namespace: default
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: ClusterRole
                  name: view
                subjects:
                - kind: ServiceAccount
                  name: probe
                  namespace: default
                """, "apply", "-f", "-");
            Assert.True(access.ExitCode == 0, access.Error);
            var applied = await kubectl.RunWithInputAsync(ProbeDaemonSet(node), "apply", "-f", "-");
            Assert.True(applied.ExitCode == 0, applied.Error);

            string logs = "";
            await AsyncTestHelpers.WaitUntilAsync(async () => (logs = (await kubectl.RunAsync("logs", "ds/inpod")).Output).Contains("SECRETS", StringComparison.Ordinal),
                "the in-pod client to list pods and secrets", TimeSpan.FromSeconds(90));
            var pod = (await kubectl.OkAsync("get", "pods", "-o", "jsonpath={.items[0].metadata.name} {.items[0].metadata.uid}")).Split(' ');
            var port = new Uri(controlPlane.Url).Port;
            Assert.Equal([$"SERVER https://127.0.0.1:{port}/ NAMESPACE default", $"PODS {pod[0]}", "SECRETS ERROR 403"], logs.Trim().Split('\n'));

            var container = await docker.InspectAsync((await docker.RunningAsync(node)).Single().ID);
            var mount = container.Mounts.Single(m => m.Destination == "/var/run/secrets/kubernetes.io/serviceaccount");
            Assert.False(mount.RW);
            Assert.Contains("KUBERNETES_SERVICE_HOST=127.0.0.1", container.Config!.Env);
            Assert.Contains($"KUBERNETES_PORT=tcp://127.0.0.1:{port}", container.Config.Env);
            Assert.Equal(["ca.crt", "namespace", "token"], Directory.EnumerateFileSystemEntries(mount.Source).Select(e => Path.GetFileName(e)).Where(n => !n.StartsWith("..", StringComparison.Ordinal)).Order());
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(stateDir, "pki", "ca.crt"), TestContext.Current.CancellationToken),
                await File.ReadAllTextAsync(Path.Combine(mount.Source, "ca.crt"), TestContext.Current.CancellationToken));

            Assert.Equal("daemonset.apps \"inpod\" deleted\n", await kubectl.OkAsync("delete", "ds", "inpod"));
            await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(!Directory.Exists(mount.Source)), "the pod's token files to go with it", TimeSpan.FromSeconds(60));
            Assert.Contains(pod[1], mount.Source, StringComparison.Ordinal);
        }
        finally
        {
            await agent.StopAsync();
            await docker.RemoveAllAsync([node]);
        }
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>
    /// The C# probe run by the host's dotnet inside the busybox image: /usr (and the /lib, /lib64 links into it) and the
    /// probe's build directory mounted read-only, an emptyDir for /tmp; host network, as the test Docker has no bridge.
    /// </summary>
    private static string ProbeDaemonSet(string node)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var probe = RepositoryFiles.Path("tests", "clients", "KubeClientProbe", "bin", configuration, "net10.0");
        return $$"""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: inpod
              namespace: default
            spec:
              selector:
                matchLabels: {app: inpod}
              template:
                metadata:
                  labels: {app: inpod}
                spec:
                  serviceAccountName: probe
                  hostNetwork: true
                  terminationGracePeriodSeconds: 2
                  containers:
                  - name: main
                    image: busybox:latest
                    command: ["/bin/sh", "-c", "dotnet /probe/KubeClientProbe.dll in-cluster {{node}}; {{TestManifests.SleepUntilTerm}}"]
                    env:
                    - {name: DOTNET_SYSTEM_GLOBALIZATION_INVARIANT, value: "1"}
                    - {name: DOTNET_CLI_TELEMETRY_OPTOUT, value: "1"}
                    - {name: HOME, value: /tmp}
                    volumeMounts:
                    - {name: usr, mountPath: /usr, readOnly: true}
                    - {name: lib, mountPath: /lib, readOnly: true}
                    - {name: lib64, mountPath: /lib64, readOnly: true}
                    - {name: probe, mountPath: /probe, readOnly: true}
                    - {name: tmp, mountPath: /tmp}
                  volumes:
                  - name: usr
                    hostPath: {path: /usr}
                  - name: lib
                    hostPath: {path: /lib}
                  - name: lib64
                    hostPath: {path: /lib64}
                  - name: probe
                    hostPath: {path: {{probe}}}
                  - name: tmp
                    emptyDir: {}
            """;
    }
}
