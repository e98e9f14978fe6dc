using System.Text.Json.Nodes;
using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// The .deb packages scripts/package builds, installed under a real systemd (PID 1 in a container) with the host's
/// Docker socket, as a Debian administrator sets them up: the control plane over TLS with its admin.conf, the agent
/// joined with a token; readiness, the daemon containers surviving agent restarts and stops, the watchdog, the journal,
/// and remove versus purge.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Docker)]
[Trait(TestCategories.Name, TestCategories.Slow)]
public sealed class SystemdPackageTests : IAsyncLifetime
{
    private const string Agent = "hostdaemons-agent";
    private readonly string _node = "sd-" + Guid.NewGuid().ToString("N")[..8];
    private readonly int _port = SystemdContainer.FreeLoopbackPort();
    private readonly DockerProbe _docker = new();
    private SystemdContainer _container = null!;

    public async ValueTask InitializeAsync()
    {
        var packages = RepositoryFiles.Path("artifacts", "packages");
        var debs = Directory.Exists(packages) ? Directory.GetFiles(packages, "*.deb") : [];
        Assert.True(debs.Length == 3, $"expected the three .deb packages in {packages}: run scripts/package (scripts/test does)");
        _container = await SystemdContainer.StartAsync("hostdaemons-systemd-" + _node);
        await _container.ShellAsync("mkdir -p /tmp/packages");
        foreach (var deb in debs)
        {
            await _container.CopyInAsync(deb, "/tmp/packages/");
        }

        // Drop-ins, as an administrator would write them: a free port for the packaged control plane, this test's node
        // name, the token file the agent joins with, and a short watchdog so the frozen-agent case takes seconds.
        await _container.ShellAsync($"""
            mkdir -p /etc/systemd/system/hostdaemons-controlplane.service.d /etc/systemd/system/hostdaemons-agent.service.d
            printf '[Service]\nEnvironment=HOSTDAEMONS_LISTEN=https://127.0.0.1:{_port}\n' > /etc/systemd/system/hostdaemons-controlplane.service.d/test.conf
            printf '[Service]\nEnvironment=HOSTDAEMONS_SERVER=https://127.0.0.1:{_port} HOSTDAEMONS_NODE_NAME={_node} HOSTDAEMONS_JOIN_TOKEN_FILE=/etc/hostdaemons/join-token\nWatchdogSec=4s\n' > /etc/systemd/system/hostdaemons-agent.service.d/test.conf
            """);
    }

    public async ValueTask DisposeAsync()
    {
        await _container.DisposeAsync();
        await _docker.RemoveAllAsync([_node]);
        _docker.Dispose();
    }

    [Fact]
    public async Task Packages_InstalledUnderSystemd_BehaveAsADebianAdminExpects()
    {
        // The control plane first: it makes its CA and admin.conf, and the packaged hdctl (Native AOT) finds that file
        // by itself and makes the token the agent joins with.
        await _container.ShellAsync("cd /tmp/packages && dpkg -i hostdaemons-controlplane_*.deb hdctl_*.deb");
        Assert.Equal("root hostdaemons 640", await ShellAsync("stat -c '%U %G %a' /etc/hostdaemons/admin.conf"));
        await _container.ShellAsync($"(umask 077 && hdctl token create --ttl 10m --node-name {_node} > /etc/hostdaemons/join-token)");
        Assert.StartsWith("HD1-", await ShellAsync("cat /etc/hostdaemons/join-token"), StringComparison.Ordinal);
        await _container.ShellAsync("cd /tmp/packages && dpkg -i hostdaemons-agent_*.deb");

        // Type=notify: `systemctl start` (run by postinst) returned only after READY=1, which follows Docker answering.
        Assert.Equal("active", await ShellAsync($"systemctl is-active {Agent}"));
        Assert.Equal("notify", await ShellAsync($"systemctl show -p Type --value {Agent}"));
        await ReadyOnlyOnceDockerAnswersAsync();
        Assert.Equal("", await ShellAsync("systemd-analyze verify /lib/systemd/system/hostdaemons-agent.service /lib/systemd/system/hostdaemons-controlplane.service 2>&1"));
        Assert.Equal("hostdaemons", await ShellAsync("stat -c %U /var/lib/hostdaemons/controlplane"));

        // The agent joined over TLS, registers with the packaged control plane, and keeps its own key.
        using var kubeconfig = new TempDirectory("hd-sd-admin");
        var adminConf = Path.Combine(kubeconfig.Path, "admin.conf");
        await File.WriteAllTextAsync(adminConf, await ShellAsync("cat /etc/hostdaemons/admin.conf"), TestContext.Current.CancellationToken);
        var hdctl = Hdctl.WithKubeconfig(adminConf);
        await WaitUntilAsync(async () => (await hdctl.RunAsync("get", "node", _node)).Row(_node)?[1] == "Ready", "the packaged agent registers");
        Assert.Equal("600", await ShellAsync("stat -c %a /var/lib/hostdaemons/agent/pki/node.key"));
        // The packaged hdctl (Native AOT) applies a manifest file and prints what kubectl prints.
        await _container.ShellAsync($"""
            cat > /tmp/sd-daemon.yaml <<'EOF'
            {TestManifests.Daemon("sd-daemon")}
            EOF
            """);
        Assert.Equal("daemonset.apps/sd-daemon created", await ShellAsync("hdctl apply -f /tmp/sd-daemon.yaml"));
        var id = await RunningContainerAsync();
        Assert.StartsWith("NAME", await ShellAsync("hdctl get ds sd-daemon -o wide"), StringComparison.Ordinal);

        // Restarting or stopping the agent leaves the daemon container alone.
        var pid = await MainPidAsync();
        await _container.ShellAsync($"systemctl restart {Agent}");
        Assert.NotEqual(pid, await MainPidAsync());
        Assert.Equal(id, await RunningContainerAsync());
        await _container.ShellAsync($"systemctl stop {Agent}");
        Assert.Equal("inactive", await ShellAsync($"systemctl is-active {Agent} || true"));
        Assert.Equal(id, await RunningContainerAsync());
        await _container.ShellAsync($"systemctl start {Agent}");

        // A frozen agent stops feeding the watchdog: systemd kills and restarts it, and the container stays.
        pid = await MainPidAsync();
        await _container.ShellAsync($"kill -STOP {pid}");
        await WaitUntilAsync(async () => await MainPidAsync() is var now && now != pid && now != "0", "systemd restarts the frozen agent",
            TimeSpan.FromSeconds(45));
        Assert.Contains("Watchdog timeout", await ShellAsync($"journalctl -u {Agent} -o cat --no-pager"), StringComparison.Ordinal);
        await WaitUntilAsync(async () => await ShellAsync($"systemctl is-active {Agent} || true") == "active", "the restarted agent is ready");
        Assert.Equal(id, await RunningContainerAsync());

        // The journal has the agent's own lines with their priorities: Information is 6, a lost control plane a Warning (4).
        await _container.ShellAsync("systemctl stop hostdaemons-controlplane && systemctl start hostdaemons-controlplane");
        await WaitUntilAsync(async () => (await AgentPrioritiesAsync()).Contains("4"), "the agent logs losing the control plane as a warning");
        Assert.Contains("6", await AgentPrioritiesAsync());
        Assert.DoesNotContain("<6>", await ShellAsync($"journalctl -u {Agent} -o cat --no-pager"), StringComparison.Ordinal);

        // The packaged (Native AOT) agent runs static pods from the package's manifest directory, and stops them.
        await _container.ShellAsync($"""
            cat > /etc/hostdaemons/manifests/hello.yaml <<'EOF'
            {TestManifests.StaticPod("hello")}
            EOF
            """);
        await WaitUntilAsync(async () => (await _docker.RunningAsync(_node)).Any(c => c.Labels["io.hostdaemons.owner"] == "static"), "the static pod runs");
        await _container.ShellAsync("rm /etc/hostdaemons/manifests/hello.yaml");
        await WaitUntilAsync(async () => (await _docker.RunningAsync(_node)).All(c => c.Labels["io.hostdaemons.owner"] != "static"), "the static pod stops");

        // An upgrade (installing the package again) restarts the agent on the new binary; the daemon keeps running.
        pid = await MainPidAsync();
        await _container.ShellAsync("cd /tmp/packages && dpkg -i hostdaemons-agent_*.deb");
        Assert.NotEqual(pid, await MainPidAsync());
        Assert.Equal("active", await ShellAsync($"systemctl is-active {Agent}"));
        Assert.Equal(id, await RunningContainerAsync());

        // remove stops the agent and keeps its state; purge deletes the state.
        await _container.ShellAsync("apt-get remove -y hostdaemons-agent >/dev/null 2>&1");
        Assert.Equal("inactive", await ShellAsync($"systemctl is-active {Agent} || true"));
        Assert.Equal("yes", await ShellAsync("test -d /var/lib/hostdaemons/agent && echo yes || echo no"));
        Assert.Equal("yes", await ShellAsync("test -f /etc/hostdaemons/agent.yaml && echo yes || echo no"));
        Assert.Equal(id, await RunningContainerAsync());
        await _container.ShellAsync("apt-get purge -y hostdaemons-agent >/dev/null 2>&1");
        Assert.Equal("no", await ShellAsync("test -e /var/lib/hostdaemons/agent && echo yes || echo no"));
        Assert.Equal("no", await ShellAsync("test -e /etc/hostdaemons/agent.yaml && echo yes || echo no"));
    }

    /// <summary>
    /// Started against an engine socket that is not there yet, the agent stays activating (no READY=1) while it waits for
    /// Docker, and becomes active once the socket appears. (The journal's order of "Reached the container engine" and
    /// systemd's "Started" cannot show this: the agent's log lines reach the journal from a queue, after READY=1 at times.)
    /// </summary>
    private async Task ReadyOnlyOnceDockerAnswersAsync()
    {
        await ShellAsync($"""
            systemctl stop {Agent}
            printf '[Service]\nEnvironment=HOSTDAEMONS_DOCKER_ENDPOINT=unix:///run/hd-engine/docker.sock\nWatchdogSec=0\n' > /etc/systemd/system/{Agent}.service.d/zz-engine.conf
            systemctl daemon-reload
            systemctl start --no-block {Agent}
            """);
        await WaitUntilAsync(async () => (await ShellAsync($"journalctl -u {Agent} -o cat --no-pager")).Contains("Waiting for Docker at unix:///run/hd-engine/docker.sock", StringComparison.Ordinal),
            "the agent to wait for the missing engine socket");
        Assert.Equal("activating", await ShellAsync($"systemctl is-active {Agent} || true"));

        await ShellAsync("mkdir -p /run/hd-engine && ln -s /var/run/docker.sock /run/hd-engine/docker.sock");
        await WaitUntilAsync(async () => await ShellAsync($"systemctl is-active {Agent} || true") == "active", "the agent to become active once Docker answers");
        Assert.Contains("Reached the container engine", await ShellAsync($"journalctl -u {Agent} -o cat --no-pager"), StringComparison.Ordinal);

        // Back to the packaged settings for the rest: the next restart uses the default socket again.
        await ShellAsync($"rm /etc/systemd/system/{Agent}.service.d/zz-engine.conf && systemctl daemon-reload && systemctl restart {Agent}");
    }

    private async Task<string> ShellAsync(string script) => (await _container.ShellAsync(script)).Output.Trim();

    private async Task<string> MainPidAsync() => await ShellAsync($"systemctl show -p MainPID --value {Agent}");

    private async Task<HashSet<string>> AgentPrioritiesAsync()
    {
        var lines = await ShellAsync($"journalctl -u {Agent} -o json --no-pager");
        return lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!)
            .Where(entry => entry["SYSLOG_IDENTIFIER"]?.GetValue<string>() == Agent)
            .Select(entry => entry["PRIORITY"]?.GetValue<string>() ?? "")
            .ToHashSet(StringComparer.Ordinal);
    }

    private async Task<string> RunningContainerAsync()
    {
        string? id = null;
        await WaitUntilAsync(async () =>
        {
            var running = await _docker.RunningAsync(_node);
            id = running.Count == 1 ? running[0].ID : null;
            return id is not null;
        }, $"one daemon container runs on {_node}");
        return id!;
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null) =>
        AsyncTestHelpers.WaitUntilAsync(condition, because, timeout);
}
