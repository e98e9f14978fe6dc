using HostDaemons.Agent.Hosting;
using HostDaemons.Agent.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.Tests.Hosting;

/// <summary>The host policy settings through every layer (file, environment, flags), and the node labels the agent refuses at start.</summary>
public sealed class HostPolicyOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new("hd-agent-options");

    public void Dispose() => _dir.Dispose();

    private static AgentOptions Options(string[] args, params (string Key, string Value)[] environment)
    {
        using var host = AgentHost.Build(["--server", "http://127.0.0.1:7070", "--node-name", "edge-01", .. args], environment.ToDictionary(e => e.Key, e => (string?)e.Value));
        return host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
    }

    private string Config(string yaml)
    {
        var path = _dir.Combine("agent.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static IReadOnlyList<AllowedHostPath>? Paths(AgentOptions options)
    {
        Assert.True(AllowedHostPath.TryParseList(options.AllowedHostPaths, out var entries, out var error), error);
        return entries;
    }

    [Fact]
    public void Build_NothingSet_PrivilegedAllowedAndAnyPath()
    {
        var options = Options([]);

        Assert.True(options.AllowPrivileged);
        Assert.Null(Paths(options));
    }

    [Fact]
    public void Build_SettingsFileList_ReadAsEntries()
    {
        var file = Config("""
            allow-privileged: false
            allowed-host-paths:
            - pathPrefix: /var/log
              readOnly: true
            - {pathPrefix: /srv/data}
            - /opt/tools:ro
            """);

        var options = Options(["--config", file]);

        Assert.False(options.AllowPrivileged);
        Assert.Equal([new("/var/log", true), new("/srv/data", false), new("/opt/tools", true)], Paths(options)!);
    }

    [Fact]
    public void Build_SettingsFileEmptyList_AllowsNoPath()
    {
        var options = Options(["--config", Config("allowed-host-paths: []\n")]);

        Assert.Empty(Paths(options)!);
    }

    [Fact]
    public void Build_EnvironmentAndFlags_OverrideTheFile()
    {
        var file = Config("allowed-host-paths: [{pathPrefix: /var/log}]\nallow-privileged: true\n");

        var fromEnvironment = Options(["--config", file], ("HOSTDAEMONS_ALLOWED_HOST_PATHS", "/etc/ssl:ro"), ("HOSTDAEMONS_ALLOW_PRIVILEGED", "false"));
        var fromFlags = Options(["--config", file, "--allowed-host-paths", "/data,/logs:ro", "--allow-privileged=false"], ("HOSTDAEMONS_ALLOWED_HOST_PATHS", "/etc/ssl:ro"));

        Assert.False(fromEnvironment.AllowPrivileged);
        Assert.Equal([new("/etc/ssl", true)], Paths(fromEnvironment)!);
        Assert.False(fromFlags.AllowPrivileged);
        Assert.Equal([new("/data", false), new("/logs", true)], Paths(fromFlags)!);
    }

    [Fact]
    public void Build_SettingsFileBadEntry_RefusedNamingFileAndLine()
    {
        var file = Config("allowed-host-paths:\n- pathPrefix: /var/log\n  readOnly: maybe\n");

        var ex = Assert.Throws<HostDaemons.Hosting.SettingsException>(() => Options(["--config", file]));

        Assert.Equal($"{file}:2: setting \"allowed-host-paths\": readOnly must be true or false, got \"maybe\"", ex.Message);
    }

    [Fact]
    public void Build_RelativePrefix_RefusedAtStart()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Options(["--allowed-host-paths", "var/log"]));

        Assert.Contains("allowed-host-paths", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"var/log\" is not an absolute path", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NodeLabelANodeMayNotSet_RefusedAtStartNamingIt()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Options(["--node-labels", "disk=ssd,node-restriction.kubernetes.io/trusted=yes"]));

        Assert.Contains("a node is not allowed to set the following labels on itself: node-restriction.kubernetes.io/trusted (", ex.Message, StringComparison.Ordinal);
    }
}
