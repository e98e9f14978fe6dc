using static HostDaemons.Model.Tests.TemplateYaml;

namespace HostDaemons.Model.Tests.Validation;

/// <summary>seccomp, AppArmor, procMount, privilege escalation, sysctls and the other pod security fields.</summary>
public sealed class SecurityContextValidatorTests
{
    private const string Security = ContainerPath + ".securityContext";
    private const string PodSecurity = PodSpecPath + ".securityContext";
    private const string ProfileTypes = "\"Localhost\", \"RuntimeDefault\", \"Unconfined\"";
    private const string SysctlRegex = "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$";

    public static TheoryData<string, string> BadContainerContexts => new()
    {
        { "seccompProfile: {}", $"{Security}.seccompProfile.type: Required value: type is required when seccompProfile is set" },
        { "seccompProfile: {type: Strict}", $"{Security}.seccompProfile.type: Unsupported value: \"Strict\": supported values: {ProfileTypes}" },
        { "seccompProfile: {type: Localhost}", $"{Security}.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost" },
        { "seccompProfile: {type: RuntimeDefault, localhostProfile: p.json}", $"{Security}.seccompProfile.localhostProfile: Invalid value: \"p.json\": can only be set when seccomp type is Localhost" },
        { "seccompProfile: {type: Localhost, localhostProfile: /p.json}", $"{Security}.seccompProfile.localhostProfile: Invalid value: \"/p.json\": must be a relative path" },
        { "seccompProfile: {type: Localhost, localhostProfile: ../p.json}", $"{Security}.seccompProfile.localhostProfile: Invalid value: \"../p.json\": must not contain '..'" },
        { "appArmorProfile: {}", $"{Security}.appArmorProfile.type: Required value: type is required when appArmorProfile is set" },
        { "appArmorProfile: {type: Enforce}", $"{Security}.appArmorProfile.type: Unsupported value: \"Enforce\": supported values: {ProfileTypes}" },
        { "appArmorProfile: {type: Localhost}", $"{Security}.appArmorProfile.localhostProfile: Required value: must be set when AppArmor type is Localhost" },
        { "appArmorProfile: {type: Localhost, localhostProfile: \"\"}", $"{Security}.appArmorProfile.localhostProfile: Required value: must be set when AppArmor type is Localhost" },
        { "appArmorProfile: {type: Localhost, localhostProfile: \" p\"}", $"{Security}.appArmorProfile.localhostProfile: Invalid value: \" p\": must not be padded with whitespace" },
        { "appArmorProfile: {type: Unconfined, localhostProfile: p}", $"{Security}.appArmorProfile.localhostProfile: Invalid value: \"p\": can only be set when AppArmor type is Localhost" },
        { "procMount: Unmasked", $"{Security}.procMount: Invalid value: \"Unmasked\": `hostUsers` must be false to use `Unmasked`" },
        { "procMount: Masked", $"{Security}.procMount: Unsupported value: \"Masked\": supported values: \"Default\", \"Unmasked\"" },
        {
            "privileged: true\nallowPrivilegeEscalation: false",
            $"{Security}: Invalid value: {{\"allowPrivilegeEscalation\":false,\"privileged\":true}}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true"
        },
        {
            "allowPrivilegeEscalation: false\ncapabilities: {add: [CAP_SYS_ADMIN]}",
            $"{Security}: Invalid value: {{\"allowPrivilegeEscalation\":false,\"capabilities\":{{\"add\":[\"CAP_SYS_ADMIN\"]}}}}: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"
        },
    };

    [Theory]
    [MemberData(nameof(BadContainerContexts))]
    public void Read_BadContainerSecurityContext_IsRefusedWithKubernetesMessage(string fields, string expected)
    {
        Assert.Equal([expected], Errors("securityContext:\n" + string.Join('\n', fields.Split('\n').Select(l => "  " + l))));
    }

    public static TheoryData<string, string> BadPodContexts => new()
    {
        { "securityContext: {fsGroup: -1}", $"{PodSecurity}.fsGroup: Invalid value: -1: must be between 0 and 2147483647, inclusive" },
        { "securityContext: {fsGroupChangePolicy: Never}", $"{PodSecurity}.fsGroupChangePolicy: Unsupported value: \"Never\": supported values: \"Always\", \"OnRootMismatch\"" },
        { "securityContext: {seccompProfile: {type: Localhost}}", $"{PodSecurity}.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost" },
        { "securityContext: {appArmorProfile: {type: default}}", $"{PodSecurity}.appArmorProfile.type: Unsupported value: \"default\": supported values: {ProfileTypes}" },
        { "securityContext: {sysctls: [{value: \"1\"}]}", $"{PodSecurity}.sysctls[0].name: Required value" },
        { "securityContext: {sysctls: [{name: Net.Core, value: \"1\"}]}", $"{PodSecurity}.sysctls[0].name: Invalid value: \"Net.Core\": must have at most 253 characters and match regex {SysctlRegex}" },
        {
            "securityContext: {sysctls: [{name: net.core.somaxconn, value: \"1\"}, {name: net.core.somaxconn, value: \"2\"}]}",
            $"{PodSecurity}.sysctls[1].name: Duplicate value: \"net.core.somaxconn\""
        },
        {
            "hostNetwork: true\nsecurityContext: {sysctls: [{name: net/ipv4/ip_forward, value: \"1\"}]}",
            $"{PodSecurity}.sysctls[0].name: Invalid value: \"net/ipv4/ip_forward\": may not be specified when 'hostNetwork' is true"
        },
        {
            "hostIPC: true\nsecurityContext: {sysctls: [{name: kernel.shmmax, value: \"1\"}]}",
            $"{PodSecurity}.sysctls[0].name: Invalid value: \"kernel.shmmax\": may not be specified when 'hostIPC' is true"
        },
        { "hostPID: true\nshareProcessNamespace: true", $"{PodSpecPath}.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled" },
    };

    [Theory]
    [MemberData(nameof(BadPodContexts))]
    public void Read_BadPodSecurity_IsRefusedWithKubernetesMessage(string pod, string expected)
    {
        Assert.Equal([expected], Errors(pod: pod));
    }

    [Fact]
    public void Read_SecurityFieldsOfTheUpstreamManifests_AreValid()
    {
        var spec = Spec(
            """
            securityContext:
              allowPrivilegeEscalation: false
              readOnlyRootFilesystem: true
              runAsNonRoot: true
              runAsUser: 65532
              runAsGroup: 65532
              capabilities: {add: [SYS_TIME], drop: [ALL]}
              seccompProfile: {type: RuntimeDefault}
              appArmorProfile: {type: Localhost, localhostProfile: k8s-apparmor-example}
              procMount: Default
            """,
            """
            hostPID: false
            hostIPC: true
            shareProcessNamespace: true
            securityContext:
              runAsNonRoot: true
              fsGroup: 2000
              fsGroupChangePolicy: OnRootMismatch
              seccompProfile: {type: Localhost, localhostProfile: profiles/audit.json}
              sysctls:
              - {name: net.ipv4.ip_unprivileged_port_start, value: "0"}
            """);

        Assert.True(spec.Containers[0].SecurityContext.RunAsNonRoot);
        Assert.False(spec.Containers[0].SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal("profiles/audit.json", spec.SecurityContext.SeccompProfile.LocalhostProfile);
        Assert.True(spec.HostIpc);
        Assert.True(spec.ShareProcessNamespace);
    }

    [Fact]
    public void Read_AllowPrivilegeEscalationWithSysAdminSpelledAsDockerDoes_IsLeftAsKubernetesLeavesIt()
    {
        // Kubernetes checks only the CAP_ spelling; csi-driver-nfs's node plugin adds SYS_ADMIN with escalation allowed.
        Spec("securityContext:\n  allowPrivilegeEscalation: false\n  capabilities: {add: [SYS_ADMIN]}");
    }
}
