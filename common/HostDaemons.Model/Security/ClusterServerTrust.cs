using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace HostDaemons.Model.Security;

/// <summary>
/// How hdctl and the agent check the control plane's serving certificate: it must chain to the cluster CA they were
/// given (never to the system's roots), name the host they dialled, and be valid now. The last refusal is kept, worded
/// as kubectl words it, so a failed connection can say why.
/// </summary>
public sealed class ClusterServerTrust(X509Certificate2Collection authorities, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public X509Certificate2Collection Authorities { get; } = authorities;

    /// <summary>Why the last server certificate was refused (<c>x509: certificate signed by unknown authority</c>), or null.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>TLS 1.2 or 1.3, this check, no revocation lookups; ALPN and client certificates are the caller's.</summary>
    public void Apply(SslClientAuthenticationOptions options)
    {
        options.EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        options.CertificateRevocationCheckMode = X509RevocationMode.NoCheck;
        options.RemoteCertificateValidationCallback = Validate;
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var failure = Check(certificate, errors, (sender as SslStream)?.TargetHostName);
        LastFailure = failure;
        return failure is null;
    }

    internal string? Check(X509Certificate? certificate, SslPolicyErrors errors, string? host)
    {
        if (certificate is null)
        {
            return "tls: the server sent no certificate";
        }

        var server = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (CertificateTrust.Verify(server, Authorities, CertificatePurposes.ServerAuth, _time.GetUtcNow()) is { } failure)
        {
            return failure;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return $"x509: certificate is valid for {string.Join(", ", ValidNames(server))}, not {host}";
        }

        return null;
    }

    private static IEnumerable<string> ValidNames(X509Certificate2 certificate)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return names is null
            ? [certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false)]
            : names.EnumerateDnsNames().Concat(names.EnumerateIPAddresses().Select(a => a.ToString()));
    }
}
