using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using HostDaemons.Api.V1;
using HostDaemons.Model.Security;

namespace HostDaemons.Cli.Client;

/// <summary>
/// The connection to the control plane, opened on first use: plaintext HTTP/2 for an <c>http://</c> development-mode
/// server; for <c>https://</c>, TLS that trusts only the kubeconfig's CA, presenting its client certificate, or its
/// bearer token (never over plaintext).
/// </summary>
internal sealed class AdminConnection(ConnectionSettings settings) : IDisposable
{
    public const string ServerVariable = "HOSTDAEMONS_SERVER";
    public const string DefaultServer = KubeconfigLoader.DefaultServer;

    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(30);

    private GrpcChannel? _channel;
    private ClusterServerTrust? _trust;
    private AdminService.AdminServiceClient? _client;
    private CallInvoker? _invoker;

    public AdminConnection(string server)
        : this(ConnectionSettings.Plaintext(server))
    {
    }

    public string Server => settings.Server;

    /// <summary>Whether calls go over TLS with a client certificate.</summary>
    public bool PresentsCertificate => _trust is not null && settings.ClientCertificate is not null;

    /// <summary>Why the server's certificate was refused, worded as kubectl words it, when it was.</summary>
    public string? TlsFailure => _trust?.LastFailure;

    public AdminService.AdminServiceClient Client
    {
        get
        {
            if (_client is null)
            {
                if (!Uri.TryCreate(Server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    throw new CliException($"error: invalid server address \"{Server}\": use https://HOST:PORT (or http://HOST:PORT for a development-mode control plane)");
                }

                var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) };
                if (uri.Scheme == Uri.UriSchemeHttps)
                {
                    _trust = new ClusterServerTrust(settings.Authorities);
                    handler.SslOptions = TlsOptions(_trust, settings);
                }

                _channel = GrpcChannel.ForAddress(uri, new GrpcChannelOptions
                {
                    HttpHandler = handler,
                    ThrowOperationCanceledOnCancellation = true,

                    // A list is as long as the fleet; the server bounds each object it stores, not the answers.
                    MaxReceiveMessageSize = null,
                });
                var token = uri.Scheme == Uri.UriSchemeHttps ? settings.Token : null;
                var invoker = token is not null || settings.ImpersonateUser is not null || settings.ImpersonateGroups.Count > 0
                    ? _channel.Intercept(metadata =>
                    {
                        if (token is not null)
                        {
                            metadata.Add("authorization", "Bearer " + token);
                        }

                        AddImpersonation(metadata);
                        return metadata;
                    })
                    : _channel.CreateCallInvoker();
                _invoker = invoker;
                _client = new AdminService.AdminServiceClient(invoker);
            }

            return _client;
        }
    }

    /// <summary>The join administration API (tokens, node identities), over the same connection.</summary>
    public JoinAdminService.JoinAdminServiceClient JoinAdmin
    {
        get
        {
            _ = Client;
            return new JoinAdminService.JoinAdminServiceClient(_invoker!);
        }
    }

    /// <summary>Kubernetes' impersonation headers, for <c>--as</c> and <c>--as-group</c>.</summary>
    private void AddImpersonation(Metadata metadata)
    {
        if (settings.ImpersonateUser is { } user)
        {
            metadata.Add("impersonate-user", user);
        }

        foreach (var group in settings.ImpersonateGroups)
        {
            metadata.Add("impersonate-group", group);
        }
    }

    /// <summary>User certificates (hdctl kubeconfig user), over the same connection.</summary>
    public UserCredentialService.UserCredentialServiceClient UserCredentials
    {
        get
        {
            _ = Client;
            return new UserCredentialService.UserCredentialServiceClient(_invoker!);
        }
    }

    /// <summary>The deadline for a unary call.</summary>
    public static DateTime Deadline() => DateTime.UtcNow + s_callTimeout;

    internal static SslClientAuthenticationOptions TlsOptions(ClusterServerTrust trust, ConnectionSettings settings)
    {
        var options = new SslClientAuthenticationOptions { TargetHost = settings.TlsServerName };
        trust.Apply(options);
        if (settings.ClientCertificate is { } certificate)
        {
            options.ClientCertificates = new X509CertificateCollection { certificate };
            options.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }

        options.EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        return options;
    }

    public void Dispose() => _channel?.Dispose();
}
