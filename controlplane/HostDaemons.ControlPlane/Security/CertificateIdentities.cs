using System.Security.Cryptography.X509Certificates;
using HostDaemons.Model.Security;

namespace HostDaemons.ControlPlane.Security;

/// <summary>
/// A client certificate's identity, as Kubernetes' x509 authenticator reads it: the subject's single common name is
/// the user, each organization a group, plus <c>system:authenticated</c>.
/// </summary>
internal static class CertificateIdentities
{
    private const string CommonNameOid = "2.5.4.3";
    private const string OrganizationOid = "2.5.4.10";

    /// <summary>The identity, or null with <paramref name="problem"/> saying why the subject names nobody.</summary>
    public static CallerIdentity? From(X509Certificate2 certificate, out string? problem)
    {
        var commonNames = new List<string>();
        var groups = new List<string>();
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames(reversed: false))
        {
            if (rdn.HasMultipleElements)
            {
                continue;
            }

            var type = rdn.GetSingleElementType().Value;
            var value = rdn.GetSingleElementValue();
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (type == CommonNameOid)
            {
                commonNames.Add(value);
            }
            else if (type == OrganizationOid && !groups.Contains(value, StringComparer.Ordinal))
            {
                groups.Add(value);
            }
        }

        if (commonNames.Count != 1)
        {
            problem = commonNames.Count == 0
                ? "the client certificate's subject has no common name (CN), so it names no user"
                : "the client certificate's subject has more than one common name (CN)";
            return null;
        }

        if (!groups.Contains(ClusterIdentities.AuthenticatedGroup, StringComparer.Ordinal))
        {
            groups.Add(ClusterIdentities.AuthenticatedGroup);
        }

        problem = null;
        return new CallerIdentity(commonNames[0], groups, AuthenticationMethod.ClientCertificate)
        {
            CertificateSerial = certificate.SerialNumber,
            NotAfter = certificate.NotAfter.ToUniversalTime(),
        };
    }
}
