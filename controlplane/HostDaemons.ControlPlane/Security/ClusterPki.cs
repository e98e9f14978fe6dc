using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HostDaemons.Model.Security;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// The control plane's PKI, set up on first start and loaded after: the cluster CA (created under
/// <c>--data-dir/pki</c>, or taken from <c>--ca-file</c>/<c>--ca-key-file</c>), the serving certificate (issued again
/// when missing, not from this CA, short of a required name, or due for renewal) and the administrator's kubeconfig.
/// Also the CA's issuing seam for nodes (<see cref="IssueNodeCertificate"/>).
/// </summary>
internal sealed partial class ClusterPki : IDisposable
{
    private readonly Lock _renewal = new();
    private readonly ServingNames _names;
    private readonly TimeSpan _servingValidity;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private ClusterPki(CertificateAuthority authority, PkiFiles files, ServingNames names, TimeSpan servingValidity, TimeProvider time, ILogger logger)
    {
        Authority = authority;
        Files = files;
        Authorities = [authority.Certificate];
        _names = names;
        _servingValidity = servingValidity;
        _time = time;
        _logger = logger;
        Serving = new ServingCertificate(LoadOrIssueServing());
    }

    public CertificateAuthority Authority { get; }

    /// <summary>The one trust anchor for client certificates.</summary>
    public X509Certificate2Collection Authorities { get; }

    public PkiFiles Files { get; }

    public ServingCertificate Serving { get; }

    /// <summary>The CA pin a join token carries (SHA-256 of its SubjectPublicKeyInfo, hex).</summary>
    public string Pin => Authority.Pin;

    /// <summary>The CA certificate, PEM: what an unauthenticated caller may fetch to check against its pin.</summary>
    public string CaBundlePem => Authority.CertificatePem;

    /// <summary>When the current serving certificate is due for renewal.</summary>
    public DateTimeOffset ServingRenewalTime => ServingCertificate.RenewalTime(Serving.Certificate);

    public static ClusterPki Open(ControlPlaneOptions options, ListenEndpoint listen, TimeProvider time, ILogger<ClusterPki> logger)
    {
        var files = new PkiFiles(options.DataDir);
        try
        {
            files.EnsureDirectory();
            var (authority, created) = LoadOrCreateAuthority(options, files, time, logger);
            var pki = new ClusterPki(authority, files, ServingNames.For(listen, options.TlsSan), options.ServingCertificateValidity, time, logger);
            pki.EnsureAdminKubeconfig(listen.LocalUrl, created);
            Log.Ready(logger, authority.Pin, pki.Serving.Certificate.SerialNumber, pki.Serving.Certificate.NotAfter);
            return pki;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new PkiException($"cannot set up the cluster's certificates under {files.Directory}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// A node's client certificate (<c>CN=system:node:NAME, O=system:nodes</c>, clientAuth only) for the key of a
    /// PKCS#10 request; nothing else in the request is used. Throws <see cref="PkiException"/> for a bad request.
    /// </summary>
    public X509Certificate2 IssueNodeCertificate(byte[] pkcs10, string nodeName, TimeSpan validity) =>
        Authority.IssueClientForRequest(pkcs10, ClientSubject.Node(nodeName), _time.GetUtcNow(), validity);

    /// <summary>
    /// A user's client certificate (clientAuth only) for the key of a PKCS#10 request, with the subject
    /// <see cref="UserSubjects.Build"/> made; the CA's own expiry caps <paramref name="validity"/>.
    /// </summary>
    public X509Certificate2 IssueUserCertificate(byte[] pkcs10, ClientSubject subject, TimeSpan validity) =>
        Authority.IssueClientForRequest(pkcs10, subject, _time.GetUtcNow(), validity);

    /// <summary>Issues a new serving certificate, writes it, and has every new handshake present it.</summary>
    public X509Certificate2 RenewServingCertificate()
    {
        lock (_renewal)
        {
            var previous = Serving.Certificate;
            var next = IssueServing();
            Serving.Replace(next);
            Log.ServingRenewed(_logger, previous.SerialNumber, next.SerialNumber, next.NotAfter);
            return next;
        }
    }

    private static (CertificateAuthority Authority, bool Created) LoadOrCreateAuthority(ControlPlaneOptions options, PkiFiles files, TimeProvider time, ILogger logger)
    {
        if (options.CaFile.Length > 0)
        {
            return (ReadAuthority(options.CaFile, options.CaKeyFile, logger), false);
        }

        if (File.Exists(files.CaCertificate) || File.Exists(files.CaKey))
        {
            return (ReadAuthority(files.CaCertificate, files.CaKey, logger), false);
        }

        var authority = CertificateAuthority.Create(time.GetUtcNow(), CertificateAuthority.DefaultValidity);
        CredentialFiles.WritePrivate(files.CaKey, authority.KeyPem);
        CredentialFiles.WritePublic(files.CaCertificate, authority.CertificatePem);
        Log.AuthorityCreated(logger, files.CaCertificate, authority.Pin);
        return (authority, true);
    }

    private static CertificateAuthority ReadAuthority(string certificateFile, string keyFile, ILogger logger)
    {
        foreach (var file in new[] { certificateFile, keyFile })
        {
            if (!File.Exists(file))
            {
                throw new PkiException($"{file}: no such file (the CA certificate and its key go together)");
            }
        }

        if (CredentialFiles.IsExposed(keyFile))
        {
            Log.KeyExposed(logger, keyFile);
        }

        try
        {
            return CertificateAuthority.FromPem(File.ReadAllText(certificateFile), File.ReadAllText(keyFile));
        }
        catch (PkiException ex)
        {
            throw new PkiException($"{certificateFile}, {keyFile}: {ex.Message}", ex);
        }
    }

    private X509Certificate2 LoadOrIssueServing()
    {
        if (File.Exists(Files.ServingCertificate) && File.Exists(Files.ServingKey))
        {
            X509Certificate2? existing = null;
            try
            {
                existing = X509Certificate2.CreateFromPemFile(Files.ServingCertificate, Files.ServingKey);
            }
            catch (CryptographicException ex)
            {
                Log.ServingUnreadable(_logger, Files.ServingCertificate, ex.Message);
            }

            if (existing is not null && WhyReplace(existing) is not { } reason)
            {
                return existing;
            }

            Log.ServingReplaced(_logger, Files.ServingCertificate, existing is null ? "it cannot be read" : WhyReplace(existing)!);
            existing?.Dispose();
        }

        return IssueServing();
    }

    private string? WhyReplace(X509Certificate2 certificate)
    {
        var now = _time.GetUtcNow();
        if (CertificateTrust.Verify(certificate, Authorities, CertificatePurposes.ServerAuth, now) is { } failure)
        {
            return failure;
        }

        if (!ServingCertificate.NamesOf(certificate).Covers(_names))
        {
            return $"it does not name all of {_names}";
        }

        return now >= ServingCertificate.RenewalTime(certificate) ? "it is due for renewal" : null;
    }

    private X509Certificate2 IssueServing()
    {
        var issued = Authority.IssueServing(_names.DnsNames, _names.Addresses, _time.GetUtcNow(), _servingValidity);
        using (var key = issued.GetECDsaPrivateKey()!)
        {
            CredentialFiles.WritePrivate(Files.ServingKey, key.ExportPkcs8PrivateKeyPem());
        }

        CredentialFiles.WritePublic(Files.ServingCertificate, issued.ExportCertificatePem());
        return issued;
    }

    private void EnsureAdminKubeconfig(string server, bool authorityCreated)
    {
        var path = Files.AdminKubeconfig;
        if (!authorityCreated && File.Exists(path) && AdminKubeconfig.Matches(File.ReadAllText(path), server, Authority.CertificatePem))
        {
            return;
        }

        CredentialFiles.WritePrivate(path, AdminKubeconfig.Create(Authority, server, _time.GetUtcNow()));
        Log.AdminKubeconfigWritten(_logger, path, server);
    }

    public void Dispose() => Authority.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Created the cluster CA {Path} (pin sha256:{Pin})")]
        public static partial void AuthorityCreated(ILogger logger, string path, string pin);

        [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "TLS ready: CA pin sha256:{Pin}, serving certificate {Serial} valid until {NotAfter:u}")]
        public static partial void Ready(ILogger logger, string pin, string serial, DateTime notAfter);

        [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Serving certificate renewed: {Previous} replaced by {Serial}, valid until {NotAfter:u}")]
        public static partial void ServingRenewed(ILogger logger, string previous, string serial, DateTime notAfter);

        [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "Issuing a new serving certificate in place of {Path}: {Reason}")]
        public static partial void ServingReplaced(ILogger logger, string path, string reason);

        [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "The serving certificate {Path} cannot be read: {Reason}")]
        public static partial void ServingUnreadable(ILogger logger, string path, string reason);

        [LoggerMessage(EventId = 705, Level = LogLevel.Information, Message = "Wrote the administrator's kubeconfig {Path} for {Server}")]
        public static partial void AdminKubeconfigWritten(ILogger logger, string path, string server);

        [LoggerMessage(EventId = 706, Level = LogLevel.Warning, Message = "The CA key {Path} can be read by others than its owner: chmod 600 it")]
        public static partial void KeyExposed(ILogger logger, string path);
    }
}
