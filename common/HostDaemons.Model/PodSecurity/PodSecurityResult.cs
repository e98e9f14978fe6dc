using System.Text;

namespace HostDaemons.Model.PodSecurity;

/// <summary>
/// One failed check: Kubernetes' reason (<c>hostPath volumes</c>), its detail (<c>volumes "a", "b"</c>) and the
/// fields that made it fail, as paths from the pod (<c>spec.volumes[0].hostPath</c>).
/// </summary>
public sealed record PodSecurityViolation(string Reason, string Detail, IReadOnlyList<string> FieldPaths);

/// <summary>What a pod, or a pod template, gets from a level: the failed checks in Kubernetes' order.</summary>
public sealed class PodSecurityResult(PodSecurityLevelVersion levelVersion, IReadOnlyList<PodSecurityViolation> violations)
{
    public PodSecurityLevelVersion LevelVersion { get; } = levelVersion;

    public IReadOnlyList<PodSecurityViolation> Violations { get; } = violations;

    public bool Allowed => Violations.Count == 0;

    /// <summary>The reasons alone, comma-separated: what Kubernetes lists per existing pod when a namespace's level rises.</summary>
    public string ForbiddenReason => string.Join(", ", Violations.Select(v => v.Reason));

    /// <summary>Each reason with its detail in parentheses, comma-separated: <c>hostPath volumes (volume "varlog"), privileged (...)</c>.</summary>
    public string ForbiddenDetail
    {
        get
        {
            var text = new StringBuilder();
            foreach (var violation in Violations)
            {
                if (text.Length > 0)
                {
                    text.Append(", ");
                }

                text.Append(violation.Reason);
                if (violation.Detail.Length > 0)
                {
                    text.Append(" (").Append(violation.Detail).Append(')');
                }
            }

            return text.ToString();
        }
    }

    /// <summary>Every offending field, in the order of the violations.</summary>
    public IEnumerable<string> FieldPaths => Violations.SelectMany(v => v.FieldPaths);

    /// <summary>Enforce's refusal: <c>violates PodSecurity "baseline:latest": hostPath volumes (volume "varlog")</c>.</summary>
    public string Violates => $"violates PodSecurity \"{LevelVersion}\": {ForbiddenDetail}";

    /// <summary>Warn's and audit's text: <c>would violate PodSecurity "baseline:latest": ...</c>.</summary>
    public string WouldViolate => $"would violate PodSecurity \"{LevelVersion}\": {ForbiddenDetail}";
}
