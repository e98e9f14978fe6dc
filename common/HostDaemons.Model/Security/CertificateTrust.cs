using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HostDaemons.Model.Security;

/// <summary>
/// Checks a peer's certificate against the cluster CA alone: a chain built with the CA as the only trust anchor (the
/// system's roots play no part), valid at the given time, for the given purpose. Failures are worded as Go's
/// crypto/x509 words them, which is what kubectl prints.
/// </summary>
public static class CertificateTrust
{
    public const string UnknownAuthority = "x509: certificate signed by unknown authority";

    /// <summary>
    /// The chain policy for <paramref name="purpose"/> at <paramref name="now"/>, trusting only
    /// <paramref name="authorities"/>; with <paramref name="ignoreTime"/>, certificates outside their validity still chain.
    /// </summary>
    public static X509ChainPolicy Policy(X509Certificate2Collection authorities, Oid purpose, DateTimeOffset now, bool ignoreTime = false)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
            VerificationTime = now.UtcDateTime,
            VerificationTimeIgnored = false,
            VerificationFlags = ignoreTime ? X509VerificationFlags.IgnoreNotTimeValid : X509VerificationFlags.NoFlag,
        };
        policy.CustomTrustStore.AddRange(authorities);
        policy.ApplicationPolicy.Add(purpose);
        return policy;
    }

    /// <summary>
    /// Null when <paramref name="certificate"/> chains to one of <paramref name="authorities"/>, allows the purpose and
    /// (unless <paramref name="ignoreTime"/>) is valid now; else why not.
    /// </summary>
    public static string? Verify(X509Certificate2 certificate, X509Certificate2Collection authorities, Oid purpose, DateTimeOffset now, bool ignoreTime = false)
    {
        if (authorities.Count == 0)
        {
            return UnknownAuthority;
        }

        using var chain = new X509Chain { ChainPolicy = Policy(authorities, purpose, now, ignoreTime) };
        var built = chain.Build(certificate);
        var status = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        if (ignoreTime)
        {
            status &= ~X509ChainStatusFlags.NotTimeValid;
            built = built || status == X509ChainStatusFlags.NoError;
        }

        if (built && status == X509ChainStatusFlags.NoError && EndsAtAuthority(chain, authorities))
        {
            return null;
        }

        if ((status & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.NotSignatureValid)) != 0
            || !EndsAtAuthority(chain, authorities))
        {
            return UnknownAuthority;
        }

        if ((status & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            var expired = chain.ChainElements.Select(e => e.Certificate).FirstOrDefault(c => now < c.NotBefore || now > c.NotAfter) ?? certificate;
            return now > expired.NotAfter
                ? $"x509: certificate has expired or is not yet valid: current time {Rfc3339(now)} is after {Rfc3339(expired.NotAfter)}"
                : $"x509: certificate has expired or is not yet valid: current time {Rfc3339(now)} is before {Rfc3339(expired.NotBefore)}";
        }

        if ((status & (X509ChainStatusFlags.NotValidForUsage | X509ChainStatusFlags.InvalidExtension)) != 0)
        {
            return "x509: certificate specifies an incompatible key usage";
        }

        return "x509: " + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).DefaultIfEmpty(status.ToString()));
    }

    /// <summary>The certificates of a PEM bundle (a CA file or <c>certificate-authority-data</c>).</summary>
    public static X509Certificate2Collection ReadBundle(string pem)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(pem);
        return bundle;
    }

    private static bool EndsAtAuthority(X509Chain chain, X509Certificate2Collection authorities)
    {
        if (chain.ChainElements.Count == 0)
        {
            return false;
        }

        var root = chain.ChainElements[^1].Certificate;
        return authorities.Any(a => a.RawDataMemory.Span.SequenceEqual(root.RawDataMemory.Span));
    }

    private static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Rfc3339(DateTime time) => Rfc3339(new DateTimeOffset(time.ToUniversalTime()));
}
