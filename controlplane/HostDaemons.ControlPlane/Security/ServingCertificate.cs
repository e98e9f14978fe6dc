using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// The serving certificate every new TLS handshake presents. Replacing it affects new handshakes only: connections
/// already open keep theirs, so renewal drops nothing.
/// </summary>
internal sealed class ServingCertificate
{
    private volatile Entry _current;

    public ServingCertificate(X509Certificate2 certificate) => _current = new Entry(certificate);

    public X509Certificate2 Certificate => _current.Certificate;

    /// <summary>The certificate with its chain resolved once, for every handshake until it is replaced.</summary>
    public SslStreamCertificateContext Context => _current.Context;

    public void Replace(X509Certificate2 certificate) => _current = new Entry(certificate);

    /// <summary>When a certificate should be renewed: at two thirds of its life, its life counted from issue (NotBefore plus the backdating).</summary>
    public static DateTimeOffset RenewalTime(X509Certificate2 certificate)
    {
        var issued = new DateTimeOffset(certificate.NotBefore.ToUniversalTime()) + CertificateAuthority.Backdate;
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        return issued >= notAfter ? notAfter : issued + ((notAfter - issued) * 2 / 3);
    }

    /// <summary>The names a certificate carries in its subjectAltName.</summary>
    public static ServingNames NamesOf(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return extension is null
            ? new ServingNames([], [])
            : new ServingNames([.. extension.EnumerateDnsNames()], [.. extension.EnumerateIPAddresses().Select(a => new IPAddress(a.GetAddressBytes()))]);
    }

    private sealed class Entry(X509Certificate2 certificate)
    {
        public X509Certificate2 Certificate { get; } = certificate;

        public SslStreamCertificateContext Context { get; } = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
    }
}
