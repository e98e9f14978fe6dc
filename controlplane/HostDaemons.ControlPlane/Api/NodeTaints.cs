using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// kubectl taint's update of a node's taints (its updateTaints and reorganizeTaints), done by the control plane against
/// the node's latest taints: the added taints first, then the node's others; removals by key and effect, or by key.
/// Errors are worded as kubectl's and carried as FailedPrecondition, which hdctl prints as <c>error: ...</c>.
/// </summary>
internal static class NodeTaints
{
    public const string Tainted = "tainted";
    public const string Untainted = "untainted";
    public const string Modified = "modified";

    /// <summary>Changes <paramref name="node"/>'s taints and returns kubectl's word for what happened.</summary>
    public static string Apply(Node node, IReadOnlyList<Taint> add, IReadOnlyList<Taint> remove, bool overwrite, DateTimeOffset now)
    {
        node.Spec ??= new NodeSpec();
        var old = node.Spec.Taints.ToList();
        if (!overwrite)
        {
            var existing = add.Where(t => old.Any(o => o.Key == t.Key && o.Effect == t.Effect)).Select(t => t.Key).ToList();
            if (existing.Count > 0)
            {
                throw Failed($"node {node.Metadata.Name} already has {string.Join(",", existing)} taint(s) with same effect(s) and --overwrite is false");
            }
        }

        var taints = add.Select(t => WithTimeAdded(t, old, now)).ToList();
        foreach (var taint in old)
        {
            if (!taints.Any(t => t.Key == taint.Key && t.Effect == taint.Effect))
            {
                taints.Add(taint);
            }
        }

        var added = old.Count != taints.Count;
        var errors = new List<string>();
        var deleted = false;
        foreach (var taint in remove)
        {
            var removed = taints.RemoveAll(t => t.Key == taint.Key && (taint.Effect.Length == 0 || t.Effect == taint.Effect)) > 0;
            if (!removed)
            {
                errors.Add($"taint \"{ToString(taint)}\" not found");
            }

            // As kubectl: what counts is whether the last removal removed something.
            deleted = removed;
        }

        if (errors.Count > 0)
        {
            throw Failed(errors.Count == 1 ? errors[0] : $"[{string.Join(", ", errors)}]");
        }

        node.Spec.Taints.Clear();
        node.Spec.Taints.Add(taints);
        return (added && deleted) || overwrite ? Modified : added ? Tainted : Untainted;
    }

    /// <summary>Kubernetes' Taint.ToString: <c>key=value:Effect</c>, <c>key:Effect</c>, <c>key=value:</c> or <c>key</c>.</summary>
    public static string ToString(Taint taint) => (taint.Value.Length, taint.Effect.Length) switch
    {
        (0, 0) => taint.Key,
        (_, 0) => $"{taint.Key}={taint.Value}:",
        (0, _) => $"{taint.Key}:{taint.Effect}",
        _ => $"{taint.Key}={taint.Value}:{taint.Effect}",
    };

    /// <summary>
    /// NoExecute taints carry the time they were added (tolerationSeconds count from it), as Kubernetes' do; a taint
    /// written again unchanged keeps its time.
    /// </summary>
    private static Taint WithTimeAdded(Taint taint, List<Taint> old, DateTimeOffset now)
    {
        var result = new Taint { Key = taint.Key, Value = taint.Value, Effect = taint.Effect };
        if (taint.Effect == "NoExecute")
        {
            var same = old.FirstOrDefault(o => o.Key == taint.Key && o.Effect == taint.Effect && o.Value == taint.Value);
            result.TimeAdded = same?.TimeAdded ?? Timestamp.FromDateTimeOffset(now);
        }

        return result;
    }

    private static RpcException Failed(string message) => new(new Status(StatusCode.FailedPrecondition, message));
}
