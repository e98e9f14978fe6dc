using System.Net;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>
/// The control plane's Kubernetes REST door, as Kubernetes clients reach it: over https:// with the administrator's
/// certificate (HTTP/2 by ALPN, as client-go), or in the development mode over plain http:// (HTTP/1.1, as client-go
/// and kubectl speak it there, or HTTP/2 with prior knowledge). Each client is its own handler, so its own connection.
/// </summary>
internal static class KubeRest
{
    /// <summary>The protocol client-go would use: HTTP/2 over TLS, HTTP/1.1 over plain http://.</summary>
    public static Version DefaultVersion(Cluster cluster) => cluster.Tls ? HttpVersion.Version20 : HttpVersion.Version11;

    public static Version ParseVersion(string? text, Cluster cluster) => text switch
    {
        null => DefaultVersion(cluster),
        "1.1" => HttpVersion.Version11,
        "2" => HttpVersion.Version20,
        _ => throw new BenchUsageException($"--http wants 1.1 or 2, not \"{text}\""),
    };

    /// <summary>A client of its own connection to the REST door, as the administrator; requests default to <paramref name="version"/> exactly.</summary>
    public static HttpClient Client(Cluster cluster, Version version)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (cluster.Pki is { } pki)
        {
            handler.SslOptions = pki.ClientOptions(pki.IssueAdministrator());
        }

        return new HttpClient(handler)
        {
            BaseAddress = new Uri(cluster.Url),
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>
    /// A kubeconfig for kubectl: the administrator's <c>admin.conf</c> the control plane wrote over TLS, or one naming
    /// the plain http:// URL with an empty user in the development mode (kubectl sends no credentials there).
    /// </summary>
    public static string Kubeconfig(Cluster cluster)
    {
        if (cluster.Tls)
        {
            var admin = Path.Combine(cluster.Dir("controlplane"), "admin.conf");
            return File.Exists(admin) ? admin : throw new BenchFailedException($"the control plane wrote no {admin}");
        }

        var path = Path.Combine(cluster.Dir("kubectl"), "config");
        File.WriteAllText(path, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: bench
              cluster:
                server: {{cluster.Url}}
            contexts:
            - name: bench
              context:
                cluster: bench
                user: bench
            current-context: bench
            users:
            - name: bench
              user: {}

            """);
        return path;
    }
}
