using System.Collections.Concurrent;
using HostDaemons.ControlPlane.Security;

namespace HostDaemons.ControlPlane.Joining;

/// <summary>
/// <see cref="IRevokedCertificates"/> from the node identities: the serials revoked by deleting a node, kept in
/// memory (every call checks them) and loaded from the store on first use. Expired serials drop out: an expired
/// certificate is refused anyway.
/// </summary>
internal sealed class StoredRevocations(NodeIdentities identities, TimeProvider time) : IRevokedCertificates
{
    private readonly Lazy<ConcurrentDictionary<string, DateTimeOffset>> _revoked = new(() =>
        new ConcurrentDictionary<string, DateTimeOffset>(
            identities.AllRevoked().GroupBy(c => c.Serial, StringComparer.OrdinalIgnoreCase)
                .Select(g => KeyValuePair.Create(g.Key, g.Max(c => c.NotAfter))),
            StringComparer.OrdinalIgnoreCase));

    public bool IsRevoked(string serialNumber) => _revoked.Value.ContainsKey(serialNumber);

    public void Add(IEnumerable<IssuedCertificate> certificates)
    {
        var now = time.GetUtcNow();
        foreach (var certificate in certificates)
        {
            _revoked.Value[certificate.Serial] = certificate.NotAfter;
        }

        foreach (var expired in _revoked.Value.Where(e => e.Value <= now).Select(e => e.Key).ToList())
        {
            _revoked.Value.TryRemove(expired, out _);
        }
    }
}
