using HostDaemons.Model.V1;

namespace HostDaemons.Model.PodSecurity;

/// <summary>
/// Kubernetes' Pod Security Standards evaluator (k8s.io/pod-security-admission/policy): the checks of a level and
/// version run against a pod's metadata and spec, with Kubernetes' messages and order (baseline checks by id, then
/// restricted ones by id; at restricted, a restricted check replaces the baseline check it overrides).
/// </summary>
public static class PodSecurityEvaluator
{
    private static readonly IReadOnlyList<PodSecurityCheck> s_checks =
    [
        .. BaselineChecks.All.OrderBy(c => c.Id, StringComparer.Ordinal),
        .. RestrictedChecks.All.OrderBy(c => c.Id, StringComparer.Ordinal),
    ];

    /// <summary>Evaluates a pod (or a pod template: its metadata and spec) against a level at a version.</summary>
    public static PodSecurityResult Evaluate(PodSecurityLevelVersion levelVersion, ObjectMeta? metadata, PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (levelVersion.Level == PodSecurityLevel.Privileged)
        {
            return new PodSecurityResult(levelVersion, []);
        }

        var version = levelVersion.Version;
        var applicable = s_checks.Where(c => c.Level <= levelVersion.Level && version.AtLeast(c.MinimumMinor)).ToList();
        var overridden = applicable.SelectMany(c => c.Overrides).ToHashSet(StringComparer.Ordinal);
        var pod = new PodView(metadata, spec);
        var violations = applicable
            .Where(c => !overridden.Contains(c.Id))
            .Select(c => c.Run(pod, version))
            .OfType<PodSecurityViolation>()
            .ToList();
        return new PodSecurityResult(levelVersion, violations);
    }
}
