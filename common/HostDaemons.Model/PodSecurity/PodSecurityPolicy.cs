using HostDaemons.Model.Validation;

namespace HostDaemons.Model.PodSecurity;

/// <summary>
/// A namespace's Pod Security: the level (and version) each mode applies. Enforce refuses, warn returns warnings to the
/// caller, audit annotates the call's audit record.
/// </summary>
public sealed record PodSecurityPolicy(PodSecurityLevelVersion Enforce, PodSecurityLevelVersion Audit, PodSecurityLevelVersion Warn)
{
    public const string EnforceLabel = "pod-security.kubernetes.io/enforce";
    public const string EnforceVersionLabel = "pod-security.kubernetes.io/enforce-version";
    public const string AuditLabel = "pod-security.kubernetes.io/audit";
    public const string AuditVersionLabel = "pod-security.kubernetes.io/audit-version";
    public const string WarnLabel = "pod-security.kubernetes.io/warn";
    public const string WarnVersionLabel = "pod-security.kubernetes.io/warn-version";

    /// <summary>The audit annotation Kubernetes writes the audit mode's violations under.</summary>
    public const string AuditViolationsAnnotation = "pod-security.kubernetes.io/audit-violations";

    public static PodSecurityPolicy Privileged { get; } = Uniform(PodSecurityLevel.Privileged);

    /// <summary>The same level, at latest, in every mode: what <c>--default-pod-security LEVEL</c> means.</summary>
    public static PodSecurityPolicy Uniform(PodSecurityLevel level)
    {
        var levelVersion = new PodSecurityLevelVersion(level, PodSecurityVersion.Latest);
        return new PodSecurityPolicy(levelVersion, levelVersion, levelVersion);
    }

    /// <summary>Whether nothing is checked in any mode.</summary>
    public bool FullyPrivileged =>
        Enforce.Level == PodSecurityLevel.Privileged && Audit.Level == PodSecurityLevel.Privileged && Warn.Level == PodSecurityLevel.Privileged;

    /// <summary>
    /// The policy a namespace's labels give, each mode falling back to <paramref name="defaults"/> when its label is
    /// absent. As Kubernetes: a bad enforce level means restricted, a bad warn or audit level privileged, a bad version
    /// latest (labels are validated when written, so this only matters for objects stored before).
    /// </summary>
    public static PodSecurityPolicy FromLabels(IReadOnlyDictionary<string, string> labels, PodSecurityPolicy defaults)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(defaults);
        return new PodSecurityPolicy(
            Mode(labels, EnforceLabel, EnforceVersionLabel, defaults.Enforce, PodSecurityLevel.Restricted),
            Mode(labels, AuditLabel, AuditVersionLabel, defaults.Audit, PodSecurityLevel.Privileged),
            Mode(labels, WarnLabel, WarnVersionLabel, defaults.Warn, PodSecurityLevel.Privileged));
    }

    /// <summary>Validates the six labels' values (the level ones name a level, the version ones latest or v1.N).</summary>
    public static void ValidateLabels(IReadOnlyDictionary<string, string> labels, string path, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var label in (string[])[EnforceLabel, EnforceVersionLabel, AuditLabel, AuditVersionLabel, WarnLabel, WarnVersionLabel])
        {
            if (!labels.TryGetValue(label, out var value))
            {
                continue;
            }

            if (label.EndsWith("-version", StringComparison.Ordinal))
            {
                if (!PodSecurityVersion.TryParse(value, out _))
                {
                    errors.Invalid($"{path}[{label}]", value, PodSecurityVersion.InvalidVersion);
                }
            }
            else if (!PodSecurityLevels.TryParse(value, out _))
            {
                errors.Invalid($"{path}[{label}]", value, PodSecurityLevels.InvalidLevel);
            }
        }
    }

    /// <summary>Whether <paramref name="next"/> enforces less than this: a lower level, or the same level at an older version.</summary>
    public bool EnforceLoweredBy(PodSecurityPolicy next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return next.Enforce.Level < Enforce.Level || (next.Enforce.Level == Enforce.Level && next.Enforce.Level != PodSecurityLevel.Privileged
            && next.Enforce.Version.Minor < Enforce.Version.Minor);
    }

    private static PodSecurityLevelVersion Mode(IReadOnlyDictionary<string, string> labels, string levelLabel, string versionLabel,
        PodSecurityLevelVersion fallback, PodSecurityLevel invalid)
    {
        var level = fallback.Level;
        if (labels.TryGetValue(levelLabel, out var levelText))
        {
            level = PodSecurityLevels.TryParse(levelText, out var parsed) ? parsed : invalid;
        }

        var version = fallback.Version;
        if (labels.TryGetValue(versionLabel, out var versionText))
        {
            version = PodSecurityVersion.TryParse(versionText, out var parsed) ? parsed : PodSecurityVersion.Latest;
        }

        return new PodSecurityLevelVersion(level, version);
    }
}
