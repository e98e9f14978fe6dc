using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Security;
using HostDaemons.Hosting;
using Microsoft.Extensions.Options;

namespace HostDaemons.ControlPlane.Hosting;

/// <summary>Builds the control plane's web host; Program and the integration tests both start it through here.</summary>
public static class ControlPlaneHost
{
    public const string Usage = """
        Usage: hostdaemons-controlplane [--listen URL] [--data-dir DIR] [--config FILE]

        The HostDaemons control plane: stores DaemonSets, nodes and pods, and assigns daemon pods to nodes.

          --listen URL                API endpoint, https://ADDRESS:PORT (default https://127.0.0.1:7443); http:// only
                                      on a loopback address, a development mode where every caller is an administrator
          --data-dir DIR              store, pki/ and admin.conf (default /var/lib/hostdaemons/controlplane)
          --tls-san NAMES             more host names and IP addresses for the serving certificate, comma-separated
          --ca-file FILE              the cluster CA's certificate (PEM), instead of the one created in DATA-DIR/pki
          --ca-key-file FILE          the cluster CA's private key (PEM)
          --node-cert-validity D      how long a node's client certificate is valid (default 2160h, 90 days);
                                      agents renew theirs at 50-80 % of it
          --node-lease-duration D     a node without heartbeat for this long is NotReady (default 40s)
          --heartbeat-interval D      how often agents renew their lease (default 10s)
          --resync-period D           full resync of every DaemonSet (default 5m)
          --default-pod-security L    the Pod Security level (privileged, baseline or restricted) of namespaces
                                      without pod-security.kubernetes.io labels (default privileged; baseline is
                                      recommended, with labelled exceptions for namespaces that run host agents)
          --token-auth-file FILE      bearer tokens, Kubernetes' CSV: token,user,uid,"group1,group2" (tokens of 32
                                      characters or more); re-read when it changes
          --service-account-issuer URL
                                      the iss of service account tokens, and the audience the API accepts them for
                                      (default https://kubernetes.default.svc.cluster.local)
          --service-account-signing-key-file FILE
                                      the ES256 (P-256) key, PEM, that signs service account tokens (default
                                      DATA-DIR/pki/sa.key, created on first start)
          --audit-log-path FILE       one JSON line (audit.k8s.io/v1 Event, Metadata level) per request; - for stdout
          --audit-log-maxsize MB      rotate the audit log past this size (default 0: never)
          --audit-log-maxbackup N     rotated audit logs kept (default 0: all)
          --config FILE               settings file (default /etc/hostdaemons/controlplane.yaml)

        Every flag can also be set as HOSTDAEMONS_<NAME> (HOSTDAEMONS_DATA_DIR) or in the settings file (data-dir: ...).
        Flags override the environment, which overrides the file. Durations are written 40s, 5m, 1h30m.
        """;

    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?> environment, Action<WebApplicationBuilder>? configure = null)
    {
        var settings = new LayeredSettings(ControlPlaneOptions.SectionName, ControlPlaneOptions.Flags, ControlPlaneOptions.DurationFlags)
            .Read(args, ControlPlaneOptions.DefaultConfigFile, environment);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        DaemonHostDefaults.Apply(builder);
        builder.Services.AddHostDaemonsControlPlane();

        builder.WebHost.ConfigureKestrel(ApiListener.Configure);
        configure?.Invoke(builder);

        var app = builder.Build();

        // Bad settings fail here with their own message, before the host starts anything; so does a CA or data
        // directory that cannot be used, since a TLS listener sets up its certificates now.
        _ = app.Services.GetRequiredService<IOptions<ControlPlaneOptions>>().Value;
        if (app.Services.GetRequiredService<ListenEndpoint>().IsTls)
        {
            _ = app.Services.GetRequiredService<ClusterPki>();
        }

        // A token file that cannot be used stops the start with its file and line, as bad settings do.
        _ = app.Services.GetRequiredService<ITokenAuthenticator>();
        _ = app.Services.GetRequiredService<ServiceAccounts.ServiceAccountSigningKey>();
        app.MapGrpcService<AdminService>();
        app.MapGrpcService<NodeService>();
        app.MapGrpcService<JoinService>();
        app.MapGrpcService<NodeCertificateService>();
        app.MapGrpcService<JoinAdminService>();
        app.MapGrpcService<UserCredentialService>();
        app.MapGrpcHealthChecksService();
        app.MapKubernetesApi();
        return app;
    }
}
