namespace HostDaemons.ControlPlane.Auditing;

/// <summary>The annotations HostDaemons' own audit lines carry: what a join, an issue or a revocation did. Never a secret.</summary>
internal static class AuditAnnotations
{
    public const string CertificateSerial = "hostdaemons.io/certificate-serial";
    public const string CertificateSubject = "hostdaemons.io/certificate-subject";
    public const string CertificateNotAfter = "hostdaemons.io/certificate-not-after";
    public const string RevokedSerials = "hostdaemons.io/revoked-serials";

    /// <summary>A join token's id (its public half); the secret is never written.</summary>
    public const string JoinTokenId = "hostdaemons.io/join-token-id";

    public const string Reason = "hostdaemons.io/reason";
}
