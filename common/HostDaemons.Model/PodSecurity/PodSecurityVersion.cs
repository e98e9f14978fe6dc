using System.Globalization;

namespace HostDaemons.Model.PodSecurity;

/// <summary>
/// A policy version: <c>latest</c>, or <c>v1.N</c>, the checks as Kubernetes 1.N had them. A version newer than every
/// versioned check is the same as latest.
/// </summary>
public readonly record struct PodSecurityVersion(int Minor)
{
    /// <summary>Kubernetes' wording of a bad version.</summary>
    public const string InvalidVersion = "must be \"latest\" or \"v1.x\"";

    public static PodSecurityVersion Latest { get; } = new(int.MaxValue);

    public bool IsLatest => Minor == int.MaxValue;

    /// <summary>Whether the checks of this version include those that Kubernetes 1.<paramref name="minor"/> added.</summary>
    public bool AtLeast(int minor) => Minor >= minor;

    public override string ToString() => IsLatest ? "latest" : string.Create(CultureInfo.InvariantCulture, $"v1.{Minor}");

    /// <summary>Parses <c>latest</c> or <c>v1.N</c> (no leading zero, as Kubernetes' pattern).</summary>
    public static bool TryParse(string? text, out PodSecurityVersion version)
    {
        version = Latest;
        if (text == "latest")
        {
            return true;
        }

        if (text is null || !text.StartsWith("v1.", StringComparison.Ordinal) || text.Length == 3 || text.Length > 12
            || (text[3] == '0' && text.Length > 4) || text.AsSpan(3).IndexOfAnyExceptInRange('0', '9') >= 0)
        {
            return false;
        }

        version = new PodSecurityVersion(int.Parse(text.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture));
        return true;
    }
}
