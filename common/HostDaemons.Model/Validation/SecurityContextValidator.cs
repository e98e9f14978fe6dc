using System.Text.RegularExpressions;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>
/// Kubernetes' validatePodSpecSecurityContext and ValidateSecurityContext with its messages, plus HostDaemons' own
/// rules: capability names Docker knows, and no group without a user.
/// </summary>
internal static partial class SecurityContextValidator
{
    private const string IdRangeMessage = "must be between 0 and 2147483647, inclusive";
    private const string SysctlPattern = "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$";
    private static readonly string[] s_profileTypes = ["Localhost", "RuntimeDefault", "Unconfined"];
    private static readonly string[] s_fsGroupChangePolicies = ["Always", "OnRootMismatch"];
    private static readonly string[] s_procMounts = ["Default", "Unmasked"];

    /// <summary>The IPC namespace's sysctls (k8s.io/component-helpers/node/util/sysctl); net.* are the network's.</summary>
    private static readonly string[] s_ipcSysctls = ["kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced", "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem"];

    public static void ValidatePod(PodSpec spec, string path, ValidationErrors errors)
    {
        if (spec.ShareProcessNamespace && spec.HostPid)
        {
            errors.Invalid($"{path}.shareProcessNamespace", true, "ShareProcessNamespace and HostPID cannot both be enabled");
        }

        if (spec.SecurityContext is not { } security)
        {
            return;
        }

        var securityPath = $"{path}.securityContext";
        CheckId(security.HasFsGroup ? security.FsGroup : null, $"{securityPath}.fsGroup", errors);
        CheckId(security.HasRunAsUser ? security.RunAsUser : null, $"{securityPath}.runAsUser", errors);
        CheckId(security.HasRunAsGroup ? security.RunAsGroup : null, $"{securityPath}.runAsGroup", errors);
        for (var i = 0; i < security.SupplementalGroups.Count; i++)
        {
            CheckId(security.SupplementalGroups[i], $"{securityPath}.supplementalGroups[{i}]", errors);
        }

        ValidateSysctls(spec, $"{securityPath}.sysctls", errors);
        if (security.FsGroupChangePolicy.Length > 0 && !s_fsGroupChangePolicies.Contains(security.FsGroupChangePolicy))
        {
            errors.NotSupported($"{securityPath}.fsGroupChangePolicy", security.FsGroupChangePolicy, s_fsGroupChangePolicies);
        }

        ValidateSeccomp(security.SeccompProfile, $"{securityPath}.seccompProfile", errors);
        ValidateAppArmor(security.AppArmorProfile, $"{securityPath}.appArmorProfile", errors);
    }

    public static void ValidateContainer(Container container, PodSecurityContext? podSecurity, string path, ValidationErrors errors)
    {
        var securityPath = $"{path}.securityContext";
        if (container.SecurityContext is { } security)
        {
            CheckId(security.HasRunAsUser ? security.RunAsUser : null, $"{securityPath}.runAsUser", errors);
            CheckId(security.HasRunAsGroup ? security.RunAsGroup : null, $"{securityPath}.runAsGroup", errors);
            if (security.ProcMount.Length > 0 && !s_procMounts.Contains(security.ProcMount))
            {
                errors.NotSupported($"{securityPath}.procMount", security.ProcMount, s_procMounts);
            }
            else if (security.ProcMount == "Unmasked")
            {
                // HostDaemons runs every pod in the host's user namespace, as hostUsers: true does.
                errors.Invalid($"{securityPath}.procMount", security.ProcMount, "`hostUsers` must be false to use `Unmasked`");
            }

            ValidateSeccomp(security.SeccompProfile, $"{securityPath}.seccompProfile", errors);
            if (security is { HasAllowPrivilegeEscalation: true, AllowPrivilegeEscalation: false })
            {
                if (security.Privileged)
                {
                    errors.Invalid(securityPath, security, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true");
                }

                if (security.Capabilities?.Add.Contains("CAP_SYS_ADMIN") == true)
                {
                    errors.Invalid(securityPath, security, "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN");
                }
            }

            ValidateAppArmor(security.AppArmorProfile, $"{securityPath}.appArmorProfile", errors);
            ValidateCapabilities(security.Capabilities?.Add ?? [], $"{securityPath}.capabilities.add", errors);
            ValidateCapabilities(security.Capabilities?.Drop ?? [], $"{securityPath}.capabilities.drop", errors);
        }

        var hasGroup = container.SecurityContext is { HasRunAsGroup: true, RunAsGroup: >= 0 and <= int.MaxValue }
            || podSecurity is { HasRunAsGroup: true, RunAsGroup: >= 0 and <= int.MaxValue };
        var hasUser = container.SecurityContext?.HasRunAsUser == true || podSecurity?.HasRunAsUser == true;
        if (hasGroup && !hasUser)
        {
            errors.Forbidden($"{securityPath}.runAsGroup", "requires runAsUser (on the container or the pod): Docker sets a group only together with a user");
        }
    }

    private static void CheckId(long? id, string path, ValidationErrors errors)
    {
        if (id is < 0 or > int.MaxValue)
        {
            errors.Invalid(path, id, IdRangeMessage);
        }
    }

    private static void ValidateCapabilities(IEnumerable<string> capabilities, string path, ValidationErrors errors)
    {
        var i = 0;
        foreach (var capability in capabilities)
        {
            if (capability.Length == 0 || capability.Any(c => !(char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')))
            {
                errors.Invalid($"{path}[{i}]", capability, "must be a capability name such as NET_ADMIN or ALL");
            }

            i++;
        }
    }

    /// <summary>validateSeccompProfileField: a Localhost profile is a relative path in the node's seccomp directory.</summary>
    private static void ValidateSeccomp(SeccompProfile? profile, string path, ValidationErrors errors)
    {
        if (profile is not null
            && CheckProfileType(profile.Type, profile.HasLocalhostProfile ? profile.LocalhostProfile : null, path, "seccomp", "seccompProfile", errors) is { } localhost)
        {
            LocalPaths.CheckDescending(localhost, $"{path}.localhostProfile", errors);
        }
    }

    /// <summary>ValidateAppArmorProfileField: a Localhost profile is the name of a profile loaded on the node.</summary>
    private static void ValidateAppArmor(AppArmorProfile? profile, string path, ValidationErrors errors)
    {
        if (profile is null
            || CheckProfileType(profile.Type, profile.HasLocalhostProfile ? profile.LocalhostProfile : null, path, "AppArmor", "appArmorProfile", errors) is not { } localhost)
        {
            return;
        }

        if (localhost != localhost.Trim())
        {
            errors.Invalid($"{path}.localhostProfile", localhost, "must not be padded with whitespace");
        }
        else if (localhost.Length == 0)
        {
            errors.Required($"{path}.localhostProfile", "must be set when AppArmor type is Localhost");
        }

        if (localhost.Length > 4095)
        {
            errors.Add(new FieldError($"{path}.localhostProfile", FieldErrorType.TooLong, "may not be more than 4095 bytes"));
        }
    }

    /// <summary>The type, and a localhost profile exactly when it is Localhost; returns that profile to check further.</summary>
    private static string? CheckProfileType(string type, string? localhost, string path, string kind, string field, ValidationErrors errors)
    {
        if (type.Length == 0)
        {
            errors.Required($"{path}.type", $"type is required when {field} is set");
        }
        else if (!s_profileTypes.Contains(type))
        {
            errors.NotSupported($"{path}.type", type, s_profileTypes);
        }
        else if (type != "Localhost" && localhost is not null)
        {
            errors.Invalid($"{path}.localhostProfile", localhost, $"can only be set when {kind} type is Localhost");
        }
        else if (type == "Localhost" && localhost is null)
        {
            errors.Required($"{path}.localhostProfile", $"must be set when {kind} type is Localhost");
        }
        else if (type == "Localhost")
        {
            return localhost;
        }

        return null;
    }

    private static void ValidateSysctls(PodSpec spec, string path, ValidationErrors errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var sysctls = spec.SecurityContext.Sysctls;
        for (var i = 0; i < sysctls.Count; i++)
        {
            var name = sysctls[i].Name;
            var namePath = $"{path}[{i}].name";
            if (name.Length == 0)
            {
                errors.Required(namePath);
            }
            else if (name.Length > 253 || !SysctlName().IsMatch(name))
            {
                errors.Invalid(namePath, name, $"must have at most 253 characters and match regex {SysctlPattern}");
            }
            else if (!names.Add(name))
            {
                errors.Duplicate(namePath, name);
            }

            // A sysctl names its namespace with dots or slashes (net/ipv4/ip_forward).
            var normalized = name.Contains('/', StringComparison.Ordinal) ? name.Replace('/', '.') : name;
            if (spec.HostNetwork && normalized.StartsWith("net.", StringComparison.Ordinal))
            {
                errors.Invalid(namePath, name, "may not be specified when 'hostNetwork' is true");
            }
            else if (spec.HostIpc && (s_ipcSysctls.Contains(normalized) || normalized.StartsWith("fs.mqueue.", StringComparison.Ordinal)))
            {
                errors.Invalid(namePath, name, "may not be specified when 'hostIPC' is true");
            }
        }
    }

    [GeneratedRegex(SysctlPattern)]
    private static partial Regex SysctlName();
}
