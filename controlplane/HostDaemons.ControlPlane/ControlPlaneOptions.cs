using System.ComponentModel.DataAnnotations;

namespace HostDaemons.ControlPlane;

/// <summary>The control plane's settings: flags, HOSTDAEMONS_* variables or /etc/hostdaemons/controlplane.yaml.</summary>
public sealed class ControlPlaneOptions
{
    public const string SectionName = "ControlPlane";

    public const string DefaultConfigFile = "/etc/hostdaemons/controlplane.yaml";

    /// <summary>The flag names, which are also the environment (HOSTDAEMONS_LISTEN) and config file keys.</summary>
    public static IReadOnlyList<string> Flags { get; } = ["listen", "data-dir", "tls-san", "ca-file", "ca-key-file", "node-cert-validity", "node-lease-duration", "heartbeat-interval", "resync-period", "event-ttl", "max-events", "default-pod-security", "token-auth-file", "service-account-issuer", "service-account-signing-key-file", "audit-log-path", "audit-log-maxsize", "audit-log-maxbackup"];

    public static IReadOnlySet<string> DurationFlags { get; } = new HashSet<string> { "node-cert-validity", "node-lease-duration", "heartbeat-interval", "resync-period", "event-ttl" };

    /// <summary>
    /// The API endpoint: <c>https://ADDRESS:PORT</c> (TLS, client certificates), or <c>http://</c> on a loopback
    /// address only, the development mode in which every caller is an administrator.
    /// </summary>
    [Required]
    public string Listen { get; set; } = "https://127.0.0.1:7443";

    /// <summary>The embedded store's directory; also holds <c>pki/</c> and <c>admin.conf</c>.</summary>
    [Required]
    public string DataDir { get; set; } = "/var/lib/hostdaemons/controlplane";

    /// <summary>More names for the serving certificate, comma-separated host names and IP addresses (the host name, localhost and the listen address are always on it).</summary>
    public string TlsSan { get; set; } = "";

    /// <summary>The cluster CA's certificate (PEM), instead of the one created under <c>--data-dir/pki</c>; goes with <see cref="CaKeyFile"/>.</summary>
    public string CaFile { get; set; } = "";

    /// <summary>The cluster CA's private key (PEM).</summary>
    public string CaKeyFile { get; set; } = "";

    /// <summary>How long a serving certificate is valid; renewed at two thirds of it. Not a flag: tests shorten it to watch a renewal.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "3650.00:00:00")]
    public TimeSpan ServingCertificateValidity { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// How long a node's client certificate is valid (<c>--node-cert-validity</c>); agents renew at a random 50-80 %
    /// of it. Short values are for tests: a renewal needs the control plane reachable in time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "3650.00:00:00")]
    public TimeSpan NodeCertificateValidity { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long a node may go without a heartbeat before it is NotReady.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan NodeLeaseDuration { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>How often agents are told to renew their lease.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often every DaemonSet is synced even without an event: the safety net.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an event is kept after it last happened.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan EventTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most events kept; past it the oldest are deleted.</summary>
    [Range(100, 10_000_000)]
    public int MaxEvents { get; set; } = 10_000;

    /// <summary>
    /// The Pod Security level (<c>privileged</c>, <c>baseline</c> or <c>restricted</c>, at latest) of a namespace's
    /// enforce, warn and audit modes when its <c>pod-security.kubernetes.io/*</c> label for that mode is absent, as
    /// Kubernetes' PodSecurity admission configuration defaults. Privileged by default, as Kubernetes.
    /// </summary>
    [Required]
    public string DefaultPodSecurity { get; set; } = "privileged";

    /// <summary>
    /// Kubernetes' static token file (<c>--token-auth-file</c>): <c>token,user,uid,"group1,group2"</c> per line, read
    /// again when it changes; tokens of fewer than 32 characters are refused. Empty: no bearer tokens are accepted.
    /// </summary>
    public string TokenAuthFile { get; set; } = "";

    /// <summary>
    /// The <c>iss</c> of service account tokens (<c>--service-account-issuer</c>), and the audience the API server
    /// accepts them for, as Kubernetes' <c>--api-audiences</c> defaults.
    /// </summary>
    [Required]
    public string ServiceAccountIssuer { get; set; } = "https://kubernetes.default.svc.cluster.local";

    /// <summary>The ES256 (P-256) key, PEM, service account tokens are signed with; empty: <c>--data-dir/pki/sa.key</c>, created on first start.</summary>
    public string ServiceAccountSigningKeyFile { get; set; } = "";

    /// <summary>Where the audit log is written, one JSON line per request (<c>-</c>: standard output). Empty: no audit log.</summary>
    public string AuditLogPath { get; set; } = "";

    /// <summary>The audit log's size in megabytes past which it is rotated; 0: never.</summary>
    [Range(0, 1_000_000)]
    public int AuditLogMaxsize { get; set; }

    /// <summary>How many rotated audit log files are kept; 0: all.</summary>
    [Range(0, 100_000)]
    public int AuditLogMaxbackup { get; set; }
}
