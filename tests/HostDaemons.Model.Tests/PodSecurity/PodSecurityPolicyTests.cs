using HostDaemons.Model.PodSecurity;
using HostDaemons.Model.Validation;

namespace HostDaemons.Model.Tests.PodSecurity;

/// <summary>The namespace labels: parsed into a policy with the defaults, validated, and compared.</summary>
public sealed class PodSecurityPolicyTests
{
    private static readonly PodSecurityPolicy s_baselineDefaults = PodSecurityPolicy.Uniform(PodSecurityLevel.Baseline);

    [Fact]
    public void FromLabels_EachModeFallsBackToTheDefault()
    {
        var policy = PodSecurityPolicy.FromLabels(new Dictionary<string, string>
        {
            [PodSecurityPolicy.EnforceLabel] = "restricted",
            [PodSecurityPolicy.EnforceVersionLabel] = "v1.29",
            [PodSecurityPolicy.WarnLabel] = "privileged",
        }, s_baselineDefaults);
        Assert.Equal("restricted:v1.29", policy.Enforce.ToString());
        Assert.Equal("privileged:latest", policy.Warn.ToString());
        Assert.Equal("baseline:latest", policy.Audit.ToString());
        Assert.True(PodSecurityPolicy.FromLabels(new Dictionary<string, string>(), PodSecurityPolicy.Privileged).FullyPrivileged);
    }

    [Fact]
    public void FromLabels_BadValues_EnforceRestrictedWarnPrivilegedVersionLatest()
    {
        var policy = PodSecurityPolicy.FromLabels(new Dictionary<string, string>
        {
            [PodSecurityPolicy.EnforceLabel] = "bogus",
            [PodSecurityPolicy.EnforceVersionLabel] = "v2.0",
            [PodSecurityPolicy.WarnLabel] = "bogus",
        }, PodSecurityPolicy.Privileged);
        Assert.Equal("restricted:latest", policy.Enforce.ToString());
        Assert.Equal("privileged:latest", policy.Warn.ToString());
    }

    [Fact]
    public void ValidateLabels_NamesTheLabelAndKubernetesRule()
    {
        var errors = new ValidationErrors();
        PodSecurityPolicy.ValidateLabels(new Dictionary<string, string>
        {
            [PodSecurityPolicy.EnforceLabel] = "bogus",
            [PodSecurityPolicy.AuditLabel] = "baseline",
            [PodSecurityPolicy.WarnVersionLabel] = "v1.01",
            ["other"] = "x",
        }, "metadata.labels", errors);
        Assert.Equal(
            [
                "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"bogus\": must be one of privileged, baseline, restricted",
                "metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: \"v1.01\": must be \"latest\" or \"v1.x\"",
            ],
            errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("latest", true, "latest")]
    [InlineData("v1.0", true, "v1.0")]
    [InlineData("v1.32", true, "v1.32")]
    [InlineData("v1.", false, "")]
    [InlineData("v1.x", false, "")]
    [InlineData("1.30", false, "")]
    public void Version_ParsesLatestAndV1N(string text, bool valid, string printed)
    {
        Assert.Equal(valid, PodSecurityVersion.TryParse(text, out var version));
        if (valid)
        {
            Assert.Equal(printed, version.ToString());
        }
    }

    [Theory]
    [InlineData("restricted", "latest", "baseline", "latest", true)]
    [InlineData("baseline", "latest", "privileged", "latest", true)]
    [InlineData("baseline", "latest", "baseline", "v1.20", true)]
    [InlineData("baseline", "v1.20", "baseline", "latest", false)]
    [InlineData("baseline", "latest", "restricted", "v1.0", false)]
    [InlineData("privileged", "latest", "privileged", "v1.0", false)]
    public void EnforceLoweredBy_LowerLevelOrOlderVersion(string oldLevel, string oldVersion, string newLevel, string newVersion, bool lowered)
    {
        static PodSecurityPolicy Policy(string level, string version) => PodSecurityPolicy.FromLabels(
            new Dictionary<string, string> { [PodSecurityPolicy.EnforceLabel] = level, [PodSecurityPolicy.EnforceVersionLabel] = version }, PodSecurityPolicy.Privileged);
        Assert.Equal(lowered, Policy(oldLevel, oldVersion).EnforceLoweredBy(Policy(newLevel, newVersion)));
    }
}
