using HostDaemons.ControlPlane.Auditing;

namespace HostDaemons.ControlPlane.Joining;

/// <summary>
/// What deleting a node does to its credentials: every certificate issued to it is revoked (refused at the next
/// handshake and call), its name is freed for another key, and its open calls are reset at once.
/// </summary>
internal sealed partial class NodeRevocation(NodeIdentities identities, StoredRevocations revocations, NodeCalls calls, AuditLog audit, ILogger<NodeRevocation> logger)
{
    public async Task RevokeAsync(string nodeName, CancellationToken cancellationToken)
    {
        var revoked = await identities.RevokeAllAsync(nodeName, cancellationToken).ConfigureAwait(false);
        revocations.Add(revoked);
        var aborted = calls.AbortAll(nodeName);
        if (revoked.Count > 0 || aborted > 0)
        {
            Log.Revoked(logger, nodeName, revoked.Count, aborted);
            audit.RecordEvent("revoke", new AuditObjectRef { Resource = "nodes", Name = nodeName },
                new Dictionary<string, string>(StringComparer.Ordinal) { [AuditAnnotations.RevokedSerials] = string.Join(",", revoked.Select(c => c.Serial)) });
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 745, Level = LogLevel.Information, Message = "Node {Node} deleted: revoked {Count} certificates and reset {Calls} open calls")]
        public static partial void Revoked(ILogger logger, string node, int count, int calls);
    }
}
