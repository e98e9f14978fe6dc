using System.Runtime.Versioning;
using Grpc.Core;
using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Who a caller is over TLS comes from its certificate, and the role is checked, not only the CA: the administrator's
/// kubeconfig drives hdctl, a node certificate is refused on the admin API and the administrator's on the node API,
/// the <c>hostdaemons-node</c> header means nothing next to a certificate, and an agent connects with the files in its
/// <c>--state-dir/pki</c>.
/// </summary>
public sealed class TlsIdentityTests : IDisposable
{
    private const string NodeService = "hostdaemons.v1.NodeService";

    private readonly TempDirectory _directory = new("hd-tls");

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Hdctl_AdminConf_ByKubeconfigFlagAndByVariable()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));

        var byFlag = await new Hdctl(new Dictionary<string, string?>()).RunWithInputAsync(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: over-tls\n", "apply", "-f", "-", "--kubeconfig", controlPlane.AdminConf);
        var byVariable = await Hdctl.WithKubeconfig(controlPlane.AdminConf).RunAsync("get", "namespace", "over-tls");

        Assert.Equal((0, "namespace/over-tls created\n"), (byFlag.ExitCode, byFlag.Output));
        Assert.True(byVariable.ExitCode == 0, byVariable.Error);
        Assert.NotNull(byVariable.Row("over-tls"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(controlPlane.AdminConf));
    }

    [Fact]
    public async Task NodeCertificate_OnTheAdminApi_IsForbidden()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        using var node = TestPki.IssueNode(controlPlane, "web-01");
        var kubeconfig = TestPki.WriteKubeconfig(controlPlane, "node.conf", node);

        var result = await Hdctl.WithKubeconfig(kubeconfig).RunAsync("get", "nodes");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error from server (Forbidden): User \"system:node:web-01\"", result.Error, StringComparison.Ordinal);
        Assert.Contains("node credentials are for the node API only", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdministratorCertificate_OnTheNodeApi_IsPermissionDenied()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        using var admin = TestPki.IssueAdministrator(controlPlane);
        using var channel = TestPki.Channel(controlPlane.Url, TestPki.Authorities(controlPlane), admin);

        var register = await Assert.ThrowsAsync<RpcException>(() => RawGrpc.UnaryAsync(channel, NodeService, "Register"));
        var heartbeat = await Assert.ThrowsAsync<RpcException>(() => RawGrpc.UnaryAsync(channel, NodeService, "Heartbeat", headers: [new("hostdaemons-node", "web-01")]));

        Assert.Equal((StatusCode.PermissionDenied, StatusCode.PermissionDenied), (register.StatusCode, heartbeat.StatusCode));
        Assert.Contains("only nodes (system:node:NAME in group system:nodes) may", register.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, (await Hdctl.WithKubeconfig(controlPlane.AdminConf).RunAsync("get", "node", "web-01")).ExitCode);
    }

    [Fact]
    public async Task NodeCertificate_WithAnotherNodesHeader_ActsAsItself()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        using var nodeA = TestPki.IssueNode(controlPlane, "node-a");
        using var channel = TestPki.Channel(controlPlane.Url, TestPki.Authorities(controlPlane), nodeA);
        Metadata claimsB = [new("hostdaemons-node", "node-b")];

        await RawGrpc.UnaryAsync(channel, NodeService, "Register", headers: claimsB);
        var heartbeat = await RawGrpc.UnaryAsync(channel, NodeService, "Heartbeat", headers: claimsB);

        var hdctl = Hdctl.WithKubeconfig(controlPlane.AdminConf);
        Assert.NotNull((await hdctl.RunAsync("get", "node", "node-a")).Row("node-a"));
        Assert.Equal(1, (await hdctl.RunAsync("get", "node", "node-b")).ExitCode);
        // HeartbeatResponse.registered (field 1) = true: the heartbeat was node-a's, which exists, not node-b's.
        Assert.Equal(new byte[] { 0x08, 0x01 }, heartbeat.Take(2));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Docker)]
    [SupportedOSPlatform("linux")]
    public async Task Agent_WithNodeFilesInStateDirPki_RegistersAndStaysReadyOverTls()
    {
        var node = "tls-" + Guid.NewGuid().ToString("N")[..6];
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var stateDir = _directory.Combine("agent");
        TestPki.WriteNodeFiles(controlPlane, node, stateDir);
        await using var agent = new AgentProcess(controlPlane.Url, node, stateDir, _directory.Combine("manifests"));
        agent.Start();
        var hdctl = Hdctl.WithKubeconfig(controlPlane.AdminConf);

        await AsyncTestHelpers.WaitUntilAsync(async () => (await hdctl.RunAsync("get", "node", node)).Row(node)?[1] == "Ready",
            $"node {node} to register over TLS and be Ready", describe: () => Task.FromResult(agent.Output));
    }

    public void Dispose() => _directory.Dispose();
}
