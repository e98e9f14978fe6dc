using Google.Protobuf.WellKnownTypes;
using HostDaemons.Model.Validation;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// A node written through the REST API (kubectl label, annotate, taint, cordon): its taints must be valid (an
/// effect Kubernetes knows, one taint per key and effect), a NoExecute taint gets its <c>timeAdded</c>, and
/// <c>spec.unschedulable</c> brings the <c>node.kubernetes.io/unschedulable:NoSchedule</c> taint with it, as the node
/// lifecycle controller keeps them together (<see cref="NodeCordon"/>).
/// </summary>
internal static class NodeUpdateRules
{
    private static readonly string[] s_effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    public static IReadOnlyList<FieldError> Check(Node updated, Node existing, DateTimeOffset now)
    {
        updated.Spec ??= new NodeSpec();
        var errors = new List<FieldError>();
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < updated.Spec.Taints.Count; i++)
        {
            var taint = updated.Spec.Taints[i];
            var path = $"spec.taints[{i}]";
            if (!s_effects.Contains(taint.Effect))
            {
                errors.Add(new FieldError(path + ".effect", FieldErrorType.NotSupported, "supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"", taint.Effect));
            }

            if (NameValidation.CheckQualifiedName(taint.Key) is { } keyProblem)
            {
                errors.Add(new FieldError(path + ".key", FieldErrorType.Invalid, keyProblem, taint.Key));
            }
            if (!seen.Add((taint.Key, taint.Effect)))
            {
                errors.Add(new FieldError(path, FieldErrorType.Duplicate, "taints must be unique by key and effect pair", $"{taint.Key}:{taint.Effect}"));
            }

            if (taint.Effect == "NoExecute" && taint.TimeAdded is null)
            {
                taint.TimeAdded = existing.Spec?.Taints.FirstOrDefault(t => t.Key == taint.Key && t.Effect == taint.Effect)?.TimeAdded
                    ?? Timestamp.FromDateTimeOffset(now);
            }
        }

        if (errors.Count == 0 && updated.Spec.Unschedulable != (existing.Spec?.Unschedulable ?? false))
        {
            NodeCordon.Apply(updated, updated.Spec.Unschedulable, now);
        }

        return errors;
    }
}
