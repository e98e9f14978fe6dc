using System.Security.Cryptography;

namespace HostDaemons.Model.Security;

/// <summary>The extended key usages the cluster's certificates carry: a server's and a client's.</summary>
public static class CertificatePurposes
{
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    public static Oid ServerAuth => new(ServerAuthOid, "Server Authentication");

    public static Oid ClientAuth => new(ClientAuthOid, "Client Authentication");
}
