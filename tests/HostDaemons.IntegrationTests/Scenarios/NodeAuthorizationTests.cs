using Grpc.Core;
using HostDaemons.Agent;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.IntegrationTests.Infrastructure;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// The node authorizer and NodeRestriction against a real control plane and real agents, a node named by the
/// development mode's header and calling the node API directly, as a compromised agent would: node A cannot watch,
/// report for, read the credentials or objects of, or relay logs of B's pods; it cannot create a mirror pod for B, nor
/// one that references a Secret, ConfigMap or service account; it cannot register with a label reserved to
/// administrators (an agent configured with one does not start) nor change the taints or cordon an administrator set;
/// and a static pod naming an image pull secret gets no secret, however its node asks.
/// </summary>
/// <remarks>
/// The node API's messages are compiled into both the agent and the control plane, so they are never named here:
/// target-typed <c>new()</c> builds them, and a repeated field is filled from a collection expression, <c>([...])</c>.
/// </remarks>
[Trait(TestCategories.Name, TestCategories.Docker)]
public sealed class NodeAuthorizationTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static string Daemon => TestManifests.Daemon("authz", podSpec: "imagePullSecrets: [{name: regcred}]\nvolumes: [{name: settings, configMap: {name: settings}}]");

    /// <summary>A client of the node API that is <paramref name="node"/> by the development mode's header alone.</summary>
    private static NodeClientFactory As(TestCluster cluster, string node) =>
        new(Options.Create(new AgentOptions { Server = cluster.ControlPlane.Url, NodeName = node }));

    [Fact]
    public async Task NodeA_ActsOnlyOnItsOwnPods_AndGetsNothingOfNodeBs()
    {
        var nodes = TestManifests.Nodes("authz", 3);
        var (a, b, c) = (nodes[0], nodes[1], nodes[2]);
        await using var cluster = await TestCluster.StartAsync(a, b);
        cluster.Track(c);
        var hdctl = cluster.Hdctl;
        await hdctl.OkAsync("create", "secret", "docker-registry", "regcred", "--docker-server=registry.invalid", "--docker-username=alice", "--docker-password=pw-authz");
        await hdctl.OkAsync("create", "configmap", "settings", "--from-literal=k=v");
        Assert.Equal(0, (await hdctl.RunWithInputAsync(Daemon, "apply", "-f", "-")).ExitCode);
        await DaemonSetState.WaitForAsync(hdctl, "authz", DaemonSetState.Settled(2));
        var pods = await PodState.ListAsync(hdctl);
        var (podA, podB) = (pods.Single(p => p.Node == a), pods.Single(p => p.Node == b));
        using var asA = As(cluster, a);
        var nodeA = asA.Client;

        // Watch: A's stream holds A's pod, never B's.
        using (var watch = nodeA.WatchPods(new(), cancellationToken: Token))
        {
            Assert.True(await watch.ResponseStream.MoveNext(Token).DefaultTimeout());
            var uids = watch.ResponseStream.Current.Snapshot.Pods.Select(p => p.Metadata.Uid).ToList();
            Assert.Contains(podA.Uid, uids);
            Assert.DoesNotContain(podB.Uid, uids);
        }

        // Pull credentials and objects: A's own pod gets them, B's is a pod that does not exist.
        var own = await nodeA.GetPullCredentialsAsync(new() { Pod = new() { Namespace = "default", Name = podA.Name, Uid = podA.Uid } }, cancellationToken: Token);
        Assert.Equal(("registry.invalid", "alice"), (Assert.Single(own.Credentials).Server, own.Credentials[0].Username));
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await nodeA.GetPullCredentialsAsync(new() { Pod = new() { Namespace = "default", Name = podB.Name, Uid = podB.Uid } }, cancellationToken: Token));
        Assert.Equal((StatusCode.NotFound, $"pods \"{podB.Name}\" not found"), (refused.StatusCode, refused.Status.Detail));
        var objects = await nodeA.GetPodResourcesAsync(new()
        {
            Pods = { ([new() { Namespace = "default", Name = podA.Name, Uid = podA.Uid }, new() { Namespace = "default", Name = podB.Name, Uid = podB.Uid }]) },
        }, cancellationToken: Token);
        Assert.Equal(("settings", true), (Assert.Single(objects.Pods[0].ConfigMaps).Metadata.Name, objects.Pods[1].NotFound));
        Assert.Empty(objects.Pods[1].ConfigMaps);

        // Status and events about B's pod are dropped; about A's own, recorded.
        await nodeA.ReportPodStatusAsync(new()
        {
            Reports =
            {
                ([
                    new() { Pod = new() { Namespace = podB.Namespace, Name = podB.Name, Uid = podB.Uid }, Status = new PodStatus { Phase = "Failed", Message = "forged by node A" } },
                    new() { Pod = new() { Namespace = podB.Namespace, Name = podB.Name, Uid = podB.Uid }, Terminated = true },
                ]),
            },
        }, cancellationToken: Token);
        await nodeA.ReportEventsAsync(new()
        {
            Events =
            {
                ([
                    new() { Pod = new() { Namespace = podB.Namespace, Name = podB.Name, Uid = podB.Uid }, Type = "Warning", Reason = "ForgedByNodeA", Message = "x", Count = 1 },
                    new() { Pod = new() { Namespace = podA.Namespace, Name = podA.Name, Uid = podA.Uid }, Type = "Normal", Reason = "FromNodeA", Message = "x", Count = 1 },
                ]),
            },
        }, cancellationToken: Token);
        var afterB = (await PodState.ListAsync(hdctl, podB.Name)).Single();
        Assert.Equal((podB.Uid, "Running", false), (afterB.Uid, afterB.Phase, afterB.Terminating));
        Assert.DoesNotContain("forged by node A", await hdctl.OkAsync("get", "pod", podB.Name, "-o", "yaml"), StringComparison.Ordinal);
        var events = await hdctl.OkAsync("get", "events");
        Assert.Contains("FromNodeA", events, StringComparison.Ordinal);
        Assert.DoesNotContain("ForgedByNodeA", events, StringComparison.Ordinal);

        // Logs: node C (no agent, only the header) holds its request stream; A's upload for C's request is dropped.
        using var asC = As(cluster, c);
        await asC.Client.RegisterAsync(new(), cancellationToken: Token);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await PodState.ListAsync(hdctl)).Any(p => p.Node == c), "a daemon pod bound to node C");
        var podC = (await PodState.ListAsync(hdctl)).Single(p => p.Node == c);
        using var requests = asC.Client.ReceiveRequests(new(), cancellationToken: Token);
        // C's request stream is open once the control plane has it: until then a logs call finds no tunnel and ends, so ask again.
        var next = requests.ResponseStream.MoveNext(Token);
        Task<HdctlResult>? logs = null;
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            if (logs is null || logs.IsCompleted)
            {
                logs = Task.Run(() => hdctl.RunAsync("logs", podC.Name), Token);
            }

            return await Task.WhenAny(next, logs) == next || await Task.WhenAny(next, Task.Delay(200, Token)) == next;
        }, "node C's request stream to carry the log request");
        Assert.True(await next);
        var requestId = requests.ResponseStream.Current.RequestId;
        Assert.Equal(podC.Name, requests.ResponseStream.Current.Logs.Pod.Name);
        using (var forged = asA.Client.SendLogs(cancellationToken: Token))
        {
            // The control plane ends A's upload at its header (were it taken, A's stream would be the answer and C's dropped).
            await forged.RequestStream.WriteAsync(new() { Header = new() { RequestId = requestId } }, Token);
            await forged.ResponseAsync.DefaultTimeout();
        }

        await UploadAsync(asC, requestId, "from node C\n");
        var relayed = await logs!.DefaultTimeout();
        Assert.Equal((0, "from node C\n"), (relayed.ExitCode, relayed.Output));
    }

    [Fact]
    public async Task NodeRestriction_ReservedLabelRefused_AndAStaticPodNamingAPullSecretGetsNoSecret()
    {
        var nodes = TestManifests.Nodes("restrict", 3);
        var (a, b, x) = (nodes[0], nodes[1], nodes[2]);
        await using var cluster = await TestCluster.StartAsync();
        var manifests = Path.Combine(cluster.Root, "manifests", a);
        Directory.CreateDirectory(manifests);
        await cluster.AddNodeAsync(a);
        await cluster.AddNodeAsync(b);
        var hdctl = cluster.Hdctl;
        await hdctl.OkAsync("create", "secret", "docker-registry", "regcred", "--docker-server=registry.invalid", "--docker-username=alice", "--docker-password=pw-restrict");

        // A node cannot register with a label reserved to administrators.
        using (var asX = As(cluster, x))
        {
            var ex = await Assert.ThrowsAsync<RpcException>(async () =>
                await asX.Client.RegisterAsync(new() { Labels = { ["disk"] = "ssd", ["node-restriction.kubernetes.io/x"] = "y" } }, cancellationToken: Token));
            Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
            Assert.StartsWith($"nodes \"{x}\" is forbidden: node \"{x}\" is not allowed to set the following labels: node-restriction.kubernetes.io/x (", ex.Status.Detail,
                StringComparison.Ordinal);
        }

        Assert.Equal(1, (await hdctl.RunAsync("get", "node", x)).ExitCode);

        // The agent itself refuses a static pod that names a pull secret: it is an invalid manifest, never mirrored.
        await File.WriteAllTextAsync(Path.Combine(manifests, "leak.yaml"),
            TestManifests.StaticPod("leak").Replace("spec:\n", "spec:\n  imagePullSecrets: [{name: regcred}]\n", StringComparison.Ordinal), Token);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await hdctl.OkAsync("describe", "node", a)).Contains("leak.yaml", StringComparison.Ordinal),
            "the node to show the refused manifest");
        Assert.Contains("spec.imagePullSecrets[0]", await hdctl.OkAsync("describe", "node", a), StringComparison.Ordinal);
        Assert.Equal(1, (await hdctl.RunAsync("get", "pod", $"leak-{a}")).ExitCode);

        // A node that sends one anyway gets it refused naming the field, and no credentials for it.
        using var asA = As(cluster, a);
        var forged = new Pod
        {
            Metadata = new ObjectMeta { Name = $"leak-{a}", Namespace = "default", Uid = "forged-hash" },
            Spec = new PodSpec { NodeName = a, ImagePullSecrets = { new LocalObjectReference { Name = "regcred" } }, Containers = { new Container { Name = "main", Image = "busybox:latest" } } },
        };
        var response = await asA.Client.SyncStaticPodsAsync(new() { Pods = { forged } }, cancellationToken: Token);
        Assert.Equal(
            $"pod default/leak-{a} is not mirrored: node \"{a}\" can not create pods that reference API objects: spec.imagePullSecrets[0] names Secret \"regcred\"",
            Assert.Single(response.Rejected));
        Assert.Equal(1, (await hdctl.RunAsync("get", "pod", $"leak-{a}")).ExitCode);
        var noSecret = await Assert.ThrowsAsync<RpcException>(async () =>
            await asA.Client.GetPullCredentialsAsync(new() { Pod = new() { Namespace = "default", Name = $"leak-{a}", Uid = "forged-hash" } }, cancellationToken: Token));
        Assert.Equal(StatusCode.NotFound, noSecret.StatusCode);

        // Nor one that names a ConfigMap, a Secret or a service account any other way.
        forged.Spec.ImagePullSecrets.Clear();
        forged.Spec.ServiceAccountName = "default";
        forged.Spec.Volumes.Add(new Volume { Name = "conf", ConfigMap = new ConfigMapVolumeSource { Name = "settings" } });
        forged.Spec.Containers[0].Env.Add(new EnvVar { Name = "PW", ValueFrom = new EnvVarSource { SecretKeyRef = new SecretKeySelector { Name = "regcred", Key = ".dockerconfigjson" } } });
        var references = Assert.Single((await asA.Client.SyncStaticPodsAsync(new() { Pods = { forged } }, cancellationToken: Token)).Rejected);
        Assert.All(["spec.serviceAccountName names ServiceAccount \"default\"", "spec.containers[0].env[0].valueFrom.secretKeyRef names Secret \"regcred\"",
            "spec.volumes[0].configMap names ConfigMap volume \"conf\""], r => Assert.Contains(r, references, StringComparison.Ordinal));
        Assert.Equal(1, (await hdctl.RunAsync("get", "pod", $"leak-{a}")).ExitCode);

        // Nor may it create a mirror pod for another node.
        forged.Spec = new PodSpec { NodeName = b, Containers = { new Container { Name = "main", Image = "busybox:latest" } } };
        var other = await Assert.ThrowsAsync<RpcException>(async () => await asA.Client.SyncStaticPodsAsync(new() { Pods = { forged } }, cancellationToken: Token));
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        Assert.Equal(1, (await hdctl.RunAsync("get", "pod", $"leak-{a}")).ExitCode);

        // A mirror pod naming a pull secret that is stored already (written before this rule): its node gets no secret and no object for it.
        var store = cluster.ControlPlane.Services.GetRequiredService<IObjectStore>();
        var stored = await store.CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = $"old-{a}", Namespace = "default", Uid = "old-hash", Annotations = { [MirrorPodAnnotations.Mirror] = "old-hash" } },
            Spec = new PodSpec
            {
                NodeName = a,
                ImagePullSecrets = { new LocalObjectReference { Name = "regcred" } },
                Volumes = { new Volume { Name = "pw", Secret = new SecretVolumeSource { SecretName = "regcred" } } },
                Containers = { new Container { Name = "main", Image = "busybox:latest" } },
            },
        }, Token);
        var mirror = new { Namespace = "default", stored.Metadata.Name, stored.Metadata.Uid };
        var mirrorCredentials = await Assert.ThrowsAsync<RpcException>(async () =>
            await asA.Client.GetPullCredentialsAsync(new() { Pod = new() { Namespace = mirror.Namespace, Name = mirror.Name, Uid = mirror.Uid } }, cancellationToken: Token));
        Assert.Equal(StatusCode.NotFound, mirrorCredentials.StatusCode);
        var mirrorObjects = await asA.Client.GetPodResourcesAsync(new() { Pods = { ([new() { Namespace = mirror.Namespace, Name = mirror.Name, Uid = mirror.Uid }]) } }, cancellationToken: Token);
        Assert.Equal((true, 0), (mirrorObjects.Pods[0].NotFound, mirrorObjects.Pods[0].Secrets.Count));
    }

    [Fact]
    public async Task NodeRestriction_ANodeKeepsTheTaintsAndCordonAnAdministratorSet_AndAnAgentAskingForAReservedLabelDoesNotStart()
    {
        var nodes = TestManifests.Nodes("nodespec", 2);
        var (a, b) = (nodes[0], nodes[1]);
        await using var cluster = await TestCluster.StartAsync(a);
        var hdctl = cluster.Hdctl;
        await hdctl.OkAsync("taint", "node", a, "dedicated=ops:NoSchedule");
        await hdctl.OkAsync("cordon", a);

        // The node registers again (as its agent does after a restart) with labels: the node API has no field for its spec, which stays the administrator's.
        using (var asA = As(cluster, a))
        {
            await asA.Client.RegisterAsync(new() { Labels = { ["node.hostdaemons.io/disk"] = "ssd" } }, cancellationToken: Token);
            var refused = await Assert.ThrowsAsync<RpcException>(async () =>
                await asA.Client.RegisterAsync(new() { Labels = { ["node-restriction.kubernetes.io/x"] = "y" } }, cancellationToken: Token));
            Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        }

        var node = await hdctl.JsonAsync("get", "node", a);
        Assert.True(node["spec"]?["unschedulable"]?.GetValue<bool>());
        var taints = (node["spec"]?["taints"]?.AsArray() ?? []).Select(t => $"{t?["key"]}={t?["value"]}:{t?["effect"]}").Order(StringComparer.Ordinal);
        Assert.Equal(["dedicated=ops:NoSchedule", "node.kubernetes.io/unschedulable=:NoSchedule"], taints);
        Assert.Null(node["metadata"]?["labels"]?["node-restriction.kubernetes.io/x"]);

        // An agent configured with a reserved label exits at start, saying why, and never registers.
        cluster.Track(b);
        await using var agent = new AgentProcess(cluster.ControlPlane.Url, b, Path.Combine(cluster.Root, "agent-b"), Path.Combine(cluster.Root, "manifests-b"),
            ["--node-labels", "disk=ssd,node-restriction.kubernetes.io/x=y"]);
        agent.Start();
        Assert.NotEqual(0, await agent.WaitForExitAsync());
        Assert.Contains("node-restriction.kubernetes.io/x", agent.Output, StringComparison.Ordinal);
        Assert.Equal(1, (await hdctl.RunAsync("get", "node", b)).ExitCode);
    }

    /// <summary>Uploads <paramref name="text"/> as the answer to log request <paramref name="requestId"/>, as <paramref name="node"/>.</summary>
    private static async Task UploadAsync(NodeClientFactory node, string requestId, string text)
    {
        using var upload = node.Client.SendLogs(cancellationToken: Token);
        await upload.RequestStream.WriteAsync(new() { Header = new() { RequestId = requestId } }, Token);
        await upload.RequestStream.WriteAsync(new() { Data = Google.Protobuf.ByteString.CopyFromUtf8(text) }, Token);
        await upload.RequestStream.CompleteAsync();
        await upload.ResponseAsync.DefaultTimeout();
    }
}
