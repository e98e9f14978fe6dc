using HostDaemons.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HostDaemons.Agent.Hosting;

/// <summary>Builds the agent's host; Program and the integration tests both start it through here.</summary>
public static class AgentHost
{
    public const string Usage = """
        Usage: hostdaemons-agent [--server URL] [--node-name NAME] [--node-labels k=v,...] [--config FILE]

        The HostDaemons agent: registers this host as a node, runs the daemon pods assigned to it as Docker containers
        and reports their status.

          --server URL            the control plane (default https://127.0.0.1:7443)
          --node-name NAME        this node's name (default: the host name)
          --join-token-file FILE  a join token (hdctl token create) for a host without a certificate in
                                  STATE-DIR/pki; the agent checks the CA against the token's pin first
          --join-token TOKEN      the same, on the command line (or HOSTDAEMONS_JOIN_TOKEN)
          --node-labels k=v,...   labels applied when the node first registers
          --manifest-dir DIR      static pod manifests (default /etc/hostdaemons/manifests)
          --state-dir DIR         saved assignments and pki/ (default /var/lib/hostdaemons/agent)
          --docker-endpoint URI   the Docker engine (default: DOCKER_HOST, else unix:///var/run/docker.sock)
          --pod-network NAME      the Docker network of pods without hostNetwork: none, or a network's name
                                  (default: bridge when the engine has it, else none)
          --resync-period D       full comparison with Docker even without events (default 30s)
          --manifest-check-period D
                                  full re-read of the manifest directory even without file events (default 20s)
          --pod-resource-refresh-period D
                                  how often the ConfigMaps and Secrets pods use are read again (default 20s)
          --allow-privileged true|false
                                  host policy: may pods from the control plane run privileged (default true)
          --allowed-host-paths PREFIX[:ro],...
                                  host policy: the only host paths their hostPath volumes may mount, :ro for
                                  read-only (default: any; empty: none)
          --api-server-address URL
                                  the control plane address pods are given in KUBERNETES_SERVICE_HOST and
                                  KUBERNETES_SERVICE_PORT: https://HOST:PORT or HOST:PORT (default: --server's)
          --config FILE           settings file (default /etc/hostdaemons/agent.yaml)

        Every flag can also be set as HOSTDAEMONS_<NAME> (HOSTDAEMONS_NODE_NAME) or in the settings file (node-name: ...).
        Flags override the environment, which overrides the file.
        """;

    public static IHost Build(string[] args, IReadOnlyDictionary<string, string?> environment, Action<HostApplicationBuilder>? configure = null)
    {
        var settings = new LayeredSettings(AgentOptions.SectionName, AgentOptions.Flags, AgentOptions.DurationFlags, AgentOptions.ListFlags)
            .Read(args, AgentOptions.DefaultConfigFile, environment);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        DaemonHostDefaults.Apply(builder);
        builder.Services.AddHostDaemonsAgent();
        configure?.Invoke(builder);

        var host = builder.Build();

        // Bad settings fail here with their own message, before the host starts anything.
        _ = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
        return host;
    }
}
