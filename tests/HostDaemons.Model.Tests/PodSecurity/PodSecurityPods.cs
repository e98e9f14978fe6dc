using HostDaemons.Model.PodSecurity;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.PodSecurity;

/// <summary>Pods for the Pod Security checks: plain ones, and ones that pass restricted until a test spoils one field.</summary>
internal static class PodSecurityPods
{
    public static PodSecurityLevelVersion Baseline { get; } = new(PodSecurityLevel.Baseline, PodSecurityVersion.Latest);

    public static PodSecurityLevelVersion Restricted { get; } = new(PodSecurityLevel.Restricted, PodSecurityVersion.Latest);

    public static Container Container(string name = "app") => new() { Name = name, Image = "busybox" };

    /// <summary>A container that passes every restricted check.</summary>
    public static Container RestrictedContainer(string name = "app") => new()
    {
        Name = name,
        Image = "busybox",
        SecurityContext = new SecurityContext
        {
            AllowPrivilegeEscalation = false,
            RunAsNonRoot = true,
            Capabilities = new Capabilities { Drop = { "ALL" } },
            SeccompProfile = new SeccompProfile { Type = "RuntimeDefault" },
        },
    };

    public static PodSpec Spec(params Container[] containers)
    {
        var spec = new PodSpec();
        spec.Containers.Add(containers.Length == 0 ? [Container()] : containers);
        return spec;
    }

    public static PodSecurityResult Evaluate(PodSecurityLevelVersion level, PodSpec spec, ObjectMeta? metadata = null) =>
        PodSecurityEvaluator.Evaluate(level, metadata, spec);

    /// <summary>The aggregated detail, as the refusal prints it after <c>violates PodSecurity "...": </c>.</summary>
    public static string Detail(PodSecurityLevelVersion level, PodSpec spec, ObjectMeta? metadata = null) => Evaluate(level, spec, metadata).ForbiddenDetail;

    public static Volume HostPath(string name, string path = "/var/log") => new() { Name = name, HostPath = new HostPathVolumeSource { Path = path } };

    public static Volume EmptyDir(string name) => new() { Name = name, EmptyDir = new EmptyDirVolumeSource() };
}
