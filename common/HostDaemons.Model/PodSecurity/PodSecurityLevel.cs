namespace HostDaemons.Model.PodSecurity;

/// <summary>The Pod Security Standards' levels, from the least to the most strict.</summary>
public enum PodSecurityLevel
{
    Privileged,
    Baseline,
    Restricted,
}

/// <summary>A level and the policy version whose checks it means: <c>baseline:latest</c>, <c>restricted:v1.29</c>.</summary>
public readonly record struct PodSecurityLevelVersion(PodSecurityLevel Level, PodSecurityVersion Version)
{
    public static PodSecurityLevelVersion PrivilegedLatest { get; } = new(PodSecurityLevel.Privileged, PodSecurityVersion.Latest);

    public override string ToString() => $"{PodSecurityLevels.Name(Level)}:{Version}";
}

/// <summary>The level names as the labels and flags write them.</summary>
public static class PodSecurityLevels
{
    /// <summary>Kubernetes' wording of a bad level: <c>must be one of privileged, baseline, restricted</c>.</summary>
    public const string InvalidLevel = "must be one of privileged, baseline, restricted";

    public static string Name(PodSecurityLevel level) => level switch
    {
        PodSecurityLevel.Privileged => "privileged",
        PodSecurityLevel.Baseline => "baseline",
        _ => "restricted",
    };

    public static bool TryParse(string? text, out PodSecurityLevel level)
    {
        (var parsed, level) = text switch
        {
            "privileged" => (true, PodSecurityLevel.Privileged),
            "baseline" => (true, PodSecurityLevel.Baseline),
            "restricted" => (true, PodSecurityLevel.Restricted),
            _ => (false, PodSecurityLevel.Restricted),
        };
        return parsed;
    }
}
