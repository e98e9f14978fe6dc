using HostDaemons.Model.PodSecurity;
using HostDaemons.Model.V1;
using static HostDaemons.Model.Tests.PodSecurity.PodSecurityPods;

namespace HostDaemons.Model.Tests.PodSecurity;

/// <summary>Every restricted check, passing and failing, with Kubernetes' exact words, overrides and versions.</summary>
public sealed class RestrictedChecksTests
{
    [Fact]
    public void Evaluate_CompliantPod_PassesRestricted()
    {
        var spec = Spec(RestrictedContainer("a"), RestrictedContainer("b"));
        spec.Volumes.Add([EmptyDir("cache"), new Volume { Name = "cm", ConfigMap = new ConfigMapVolumeSource { Name = "c" } }, new Volume { Name = "s", Secret = new SecretVolumeSource { SecretName = "s" } },
            new Volume { Name = "d", DownwardApi = new DownwardAPIVolumeSource() }, new Volume { Name = "p", Projected = new ProjectedVolumeSource() }]);
        Assert.True(Evaluate(Restricted, spec).Allowed);
    }

    [Fact]
    public void DefaultBusybox_RefusedWithEveryRestrictedMessage()
    {
        var result = Evaluate(Restricted, Spec(Container("main")));
        Assert.Equal(
            "violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"main\" must set securityContext.allowPrivilegeEscalation=false), "
            + "unrestricted capabilities (container \"main\" must set securityContext.capabilities.drop=[\"ALL\"]), "
            + "runAsNonRoot != true (pod or container \"main\" must set securityContext.runAsNonRoot=true), "
            + "seccompProfile (pod or container \"main\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            result.Violates);
        Assert.Equal("allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile", result.ForbiddenReason);
    }

    [Fact]
    public void AllowPrivilegeEscalation_OnlyExplicitFalsePasses()
    {
        var unset = RestrictedContainer("unset");
        unset.SecurityContext.ClearAllowPrivilegeEscalation();
        var escalating = RestrictedContainer("true");
        escalating.SecurityContext.AllowPrivilegeEscalation = true;
        var result = Evaluate(Restricted, Spec(unset, escalating, RestrictedContainer("ok")));
        Assert.Equal("allowPrivilegeEscalation != false (containers \"unset\", \"true\" must set securityContext.allowPrivilegeEscalation=false)", result.ForbiddenDetail);
        Assert.Equal(["spec.containers[0].securityContext.allowPrivilegeEscalation", "spec.containers[1].securityContext.allowPrivilegeEscalation"], result.FieldPaths);
    }

    [Fact]
    public void Capabilities_DropAllRequired_OnlyNetBindServiceAdded_ReplacesBaselineCheck()
    {
        var noDrop = RestrictedContainer("a");
        noDrop.SecurityContext.Capabilities.Drop.Clear();
        noDrop.SecurityContext.Capabilities.Drop.Add("NET_RAW");
        var adding = RestrictedContainer("b");
        adding.SecurityContext.Capabilities.Add.Add(["NET_BIND_SERVICE", "SYS_TIME", "CHOWN"]);
        Assert.Equal(
            "unrestricted capabilities (container \"a\" must set securityContext.capabilities.drop=[\"ALL\"]; container \"b\" must not include \"CHOWN\", \"SYS_TIME\" in securityContext.capabilities.add)",
            Detail(Restricted, Spec(noDrop, adding)));

        var netBind = RestrictedContainer("c");
        netBind.SecurityContext.Capabilities.Add.Add("NET_BIND_SERVICE");
        Assert.True(Evaluate(Restricted, Spec(netBind)).Allowed);

        // Before 1.22 the restricted capabilities check does not exist: baseline's applies.
        var v121 = new PodSecurityLevelVersion(PodSecurityLevel.Restricted, new PodSecurityVersion(21));
        Assert.Equal("non-default capabilities (container \"b\" must not include \"SYS_TIME\" in securityContext.capabilities.add)", Detail(v121, Spec(adding)));
    }

    [Fact]
    public void Volumes_HostPathIsARestrictedType_ReplacesTheBaselineHostPathMessage()
    {
        var spec = Spec(RestrictedContainer());
        spec.Volumes.Add([HostPath("varlog"), EmptyDir("cache"), HostPath("containers")]);
        var result = Evaluate(Restricted, spec);
        Assert.Equal("restricted volume types (volumes \"varlog\", \"containers\" use restricted volume type \"hostPath\")", result.ForbiddenDetail);
        Assert.Equal(["spec.volumes[0].hostPath", "spec.volumes[2].hostPath"], result.FieldPaths);

        var one = Spec(RestrictedContainer());
        one.Volumes.Add(HostPath("host"));
        Assert.Equal("restricted volume types (volume \"host\" uses restricted volume type \"hostPath\")", Detail(Restricted, one));
    }

    [Fact]
    public void RunAsNonRoot_PodLevelCovers_ExplicitFalseNamed()
    {
        var unset = RestrictedContainer("a");
        unset.SecurityContext.ClearRunAsNonRoot();
        var covered = Spec(unset);
        covered.SecurityContext = new PodSecurityContext { RunAsNonRoot = true };
        Assert.True(Evaluate(Restricted, covered).Allowed);

        var root = RestrictedContainer("b");
        root.SecurityContext.RunAsNonRoot = false;
        var explicitFalse = Spec(root, unset);
        explicitFalse.SecurityContext = new PodSecurityContext { RunAsNonRoot = false };
        Assert.Equal("runAsNonRoot != true (pod and container \"b\" must not set securityContext.runAsNonRoot=false)", Detail(Restricted, explicitFalse));

        Assert.Equal("runAsNonRoot != true (pod or container \"a\" must set securityContext.runAsNonRoot=true)", Detail(Restricted, Spec(unset, RestrictedContainer("ok"))));
    }

    [Fact]
    public void RunAsUser_ZeroRefusedFromV123_OtherUidsAllowed()
    {
        var root = RestrictedContainer("a");
        root.SecurityContext.RunAsUser = 0;
        var spec = Spec(root, RestrictedContainer("b"));
        spec.SecurityContext = new PodSecurityContext { RunAsUser = 0 };
        var result = Evaluate(Restricted, spec);
        Assert.Equal("runAsUser=0 (pod and container \"a\" must not set runAsUser=0)", result.ForbiddenDetail);
        Assert.Equal(["spec.securityContext.runAsUser", "spec.containers[0].securityContext.runAsUser"], result.FieldPaths);

        root.SecurityContext.RunAsUser = 1000;
        Assert.True(Evaluate(Restricted, Spec(root)).Allowed);
        root.SecurityContext.RunAsUser = 0;
        Assert.True(Evaluate(new PodSecurityLevelVersion(PodSecurityLevel.Restricted, new PodSecurityVersion(22)), Spec(root)).Allowed);
    }

    [Fact]
    public void Seccomp_RequiredAtPodOrContainer_UnconfinedNamed()
    {
        var unset = RestrictedContainer("a");
        unset.SecurityContext.SeccompProfile = null;
        var podLevel = Spec(unset);
        podLevel.SecurityContext = new PodSecurityContext { SeccompProfile = new SeccompProfile { Type = "Localhost", LocalhostProfile = "p.json" } };
        Assert.True(Evaluate(Restricted, podLevel).Allowed);

        var unconfined = RestrictedContainer("b");
        unconfined.SecurityContext.SeccompProfile = new SeccompProfile { Type = "Unconfined" };
        Assert.Equal("seccompProfile (container \"b\" must not set securityContext.seccompProfile.type to \"Unconfined\")", Detail(Restricted, Spec(unconfined, unset)));
        Assert.Equal(
            "seccompProfile (pod or containers \"a\", \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            Detail(Restricted, Spec(unset, RestrictedContainer("ok"), new Container(unset) { Name = "c" })));
    }

    [Fact]
    public void Restricted_IncludesBaselineChecks_BaselineFirst()
    {
        var spec = Spec(RestrictedContainer("a"));
        spec.HostNetwork = true;
        spec.Containers[0].SecurityContext.Privileged = true;
        Assert.Equal(
            "host namespaces (hostNetwork=true), privileged (container \"a\" must not set securityContext.privileged=true)",
            Detail(Restricted, spec));
    }
}
