using HostDaemons.Model.PodSecurity;
using HostDaemons.Model.V1;
using static HostDaemons.Model.Tests.PodSecurity.PodSecurityPods;

namespace HostDaemons.Model.Tests.PodSecurity;

/// <summary>Every baseline check, passing and failing, with Kubernetes' exact words and aggregation.</summary>
public sealed class BaselineChecksTests
{
    [Fact]
    public void Evaluate_PlainPod_PassesBaselineAndPrivileged()
    {
        Assert.True(Evaluate(Baseline, Spec()).Allowed);
        var everything = Spec(new Container { Name = "x", SecurityContext = new SecurityContext { Privileged = true } });
        everything.HostNetwork = true;
        everything.Volumes.Add(HostPath("varlog"));
        Assert.True(Evaluate(new PodSecurityLevelVersion(PodSecurityLevel.Privileged, PodSecurityVersion.Latest), everything).Allowed);
    }

    [Fact]
    public void HostPathVolumes_OneAndMany_SingularAndPluralInOrder()
    {
        var one = Spec();
        one.Volumes.Add([EmptyDir("cache"), HostPath("varlog")]);
        var result = Evaluate(Baseline, one);
        Assert.Equal("violates PodSecurity \"baseline:latest\": hostPath volumes (volume \"varlog\")", result.Violates);
        Assert.Equal(["spec.volumes[1].hostPath"], result.FieldPaths);

        var two = Spec();
        two.Volumes.Add([HostPath("varlog"), HostPath("containers", "/var/lib/docker/containers")]);
        Assert.Equal("would violate PodSecurity \"baseline:latest\": hostPath volumes (volumes \"varlog\", \"containers\")", Evaluate(Baseline, two).WouldViolate);
    }

    [Theory]
    [InlineData(true, false, false, "host namespaces (hostNetwork=true)")]
    [InlineData(true, true, true, "host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)")]
    [InlineData(false, false, true, "host namespaces (hostIPC=true)")]
    public void HostNamespaces_EachSharedNamespace_Named(bool network, bool pid, bool ipc, string expected)
    {
        var spec = Spec();
        (spec.HostNetwork, spec.HostPid, spec.HostIpc) = (network, pid, ipc);
        Assert.Equal(expected, Detail(Baseline, spec));
    }

    [Fact]
    public void Privileged_TrueRefused_FalseAllowed_InitContainersFirst()
    {
        var spec = Spec(
            new Container { Name = "a", SecurityContext = new SecurityContext { Privileged = true } },
            new Container { Name = "b", SecurityContext = new SecurityContext { Privileged = false } },
            new Container { Name = "c", SecurityContext = new SecurityContext { Privileged = true } });
        spec.InitContainers.Add(new Container { Name = "init", SecurityContext = new SecurityContext { Privileged = true } });
        var result = Evaluate(Baseline, spec);
        Assert.Equal("privileged (containers \"init\", \"a\", \"c\" must not set securityContext.privileged=true)", result.ForbiddenDetail);
        Assert.Equal(["spec.initContainers[0].securityContext.privileged", "spec.containers[0].securityContext.privileged", "spec.containers[2].securityContext.privileged"], result.FieldPaths);
        Assert.True(Evaluate(Baseline, Spec(new Container { Name = "b", SecurityContext = new SecurityContext { Privileged = false } })).Allowed);
    }

    [Fact]
    public void Capabilities_DefaultSetAllowed_OthersSortedAndNamed()
    {
        Assert.True(Evaluate(Baseline, Spec(new Container { Name = "a", SecurityContext = new SecurityContext { Capabilities = new Capabilities { Add = { "CHOWN", "NET_BIND_SERVICE", "SYS_CHROOT" } } } })).Allowed);
        var spec = Spec(
            new Container { Name = "a", SecurityContext = new SecurityContext { Capabilities = new Capabilities { Add = { "SYS_ADMIN", "CHOWN" } } } },
            new Container { Name = "b", SecurityContext = new SecurityContext { Capabilities = new Capabilities { Add = { "NET_RAW" } } } });
        var result = Evaluate(Baseline, spec);
        Assert.Equal("non-default capabilities (containers \"a\", \"b\" must not include \"NET_RAW\", \"SYS_ADMIN\" in securityContext.capabilities.add)", result.ForbiddenDetail);
        Assert.Equal(["spec.containers[0].securityContext.capabilities.add[0]", "spec.containers[1].securityContext.capabilities.add[0]"], result.FieldPaths);
    }

    [Fact]
    public void HostPorts_OneContainerOnePort_ManyContainersSortedPorts()
    {
        var one = Spec(new Container { Name = "a", Ports = { new ContainerPort { ContainerPort_ = 80, HostPort = 8080 } } });
        Assert.Equal("hostPort (container \"a\" uses hostPort 8080)", Detail(Baseline, one));

        var two = Spec(
            new Container { Name = "a", Ports = { new ContainerPort { ContainerPort_ = 80, HostPort = 8080 }, new ContainerPort { ContainerPort_ = 81 } } },
            new Container { Name = "b", Ports = { new ContainerPort { ContainerPort_ = 443, HostPort = 443 } } });
        var result = Evaluate(Baseline, two);
        Assert.Equal("hostPort (containers \"a\", \"b\" use hostPorts 443, 8080)", result.ForbiddenDetail);
        Assert.Equal(["spec.containers[0].ports[0].hostPort", "spec.containers[1].ports[0].hostPort"], result.FieldPaths);
    }

    [Fact]
    public void AppArmor_UnconfinedFieldsAndAnnotations_Refused_RuntimeDefaultAndLocalhostAllowed()
    {
        var allowed = Spec(new Container { Name = "a", SecurityContext = new SecurityContext { AppArmorProfile = new AppArmorProfile { Type = "Localhost", LocalhostProfile = "p" } } });
        allowed.SecurityContext = new PodSecurityContext { AppArmorProfile = new AppArmorProfile { Type = "RuntimeDefault" } };
        var allowedMeta = new ObjectMeta { Annotations = { ["container.apparmor.security.beta.kubernetes.io/a"] = "localhost/p" } };
        Assert.True(Evaluate(Baseline, allowed, allowedMeta).Allowed);

        var spec = Spec(new Container { Name = "a", SecurityContext = new SecurityContext { AppArmorProfile = new AppArmorProfile { Type = "Unconfined" } } });
        spec.SecurityContext = new PodSecurityContext { AppArmorProfile = new AppArmorProfile { Type = "Unconfined" } };
        Assert.Equal("forbidden AppArmor profile (pod and container \"a\" must not set AppArmor profile type to \"Unconfined\")", Detail(Baseline, spec));

        var annotated = new ObjectMeta { Annotations = { ["container.apparmor.security.beta.kubernetes.io/a"] = "unconfined" } };
        var result = Evaluate(Baseline, Spec(Container("a")), annotated);
        Assert.Equal(
            "forbidden AppArmor profile (annotation must not set AppArmor profile type to \"container.apparmor.security.beta.kubernetes.io/a=\"unconfined\"\")",
            result.ForbiddenDetail);
        Assert.Equal(["metadata.annotations[container.apparmor.security.beta.kubernetes.io/a]"], result.FieldPaths);
    }

    [Fact]
    public void ProcMount_UnmaskedRefused_DefaultAllowed()
    {
        Assert.True(Evaluate(Baseline, Spec(new Container { Name = "a", SecurityContext = new SecurityContext { ProcMount = "Default" } })).Allowed);
        var result = Evaluate(Baseline, Spec(new Container { Name = "a", SecurityContext = new SecurityContext { ProcMount = "Unmasked" } }));
        Assert.Equal("procMount (container \"a\" must not set securityContext.procMount to \"Unmasked\")", result.ForbiddenDetail);
        Assert.Equal(["spec.containers[0].securityContext.procMount"], result.FieldPaths);
    }

    [Fact]
    public void Seccomp_UnconfinedRefused_UnsetRuntimeDefaultLocalhostAllowed()
    {
        var allowed = Spec(new Container { Name = "a", SecurityContext = new SecurityContext { SeccompProfile = new SeccompProfile { Type = "Localhost", LocalhostProfile = "p.json" } } }, Container("b"));
        allowed.SecurityContext = new PodSecurityContext { SeccompProfile = new SeccompProfile { Type = "RuntimeDefault" } };
        Assert.True(Evaluate(Baseline, allowed).Allowed);

        var spec = Spec(
            new Container { Name = "a", SecurityContext = new SecurityContext { SeccompProfile = new SeccompProfile { Type = "Unconfined" } } },
            new Container { Name = "b", SecurityContext = new SecurityContext { SeccompProfile = new SeccompProfile { Type = "Unconfined" } } });
        spec.SecurityContext = new PodSecurityContext { SeccompProfile = new SeccompProfile { Type = "Unconfined" } };
        Assert.Equal("seccompProfile (pod and containers \"a\", \"b\" must not set securityContext.seccompProfile.type to \"Unconfined\")", Detail(Baseline, spec));
    }

    [Fact]
    public void Seccomp_BeforeV119_ReadsTheAnnotations()
    {
        var v118 = new PodSecurityLevelVersion(PodSecurityLevel.Baseline, new PodSecurityVersion(18));
        var meta = new ObjectMeta { Annotations = { ["seccomp.security.alpha.kubernetes.io/pod"] = "unconfined", ["container.seccomp.security.alpha.kubernetes.io/a"] = "docker/default" } };
        var unconfinedField = Spec(new Container { Name = "a", SecurityContext = new SecurityContext { SeccompProfile = new SeccompProfile { Type = "Unconfined" } } });
        Assert.Equal("seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod=\"unconfined\")", Detail(v118, unconfinedField, meta));
        Assert.Equal("seccompProfile (container \"a\" must not set securityContext.seccompProfile.type to \"Unconfined\")", Detail(Baseline, unconfinedField, meta));
    }

    [Fact]
    public void Sysctls_SafeSetByVersion_OthersListedInOrder()
    {
        var spec = Spec();
        spec.SecurityContext = new PodSecurityContext
        {
            Sysctls =
            {
                new Sysctl { Name = "net.ipv4.ip_local_port_range", Value = "1024 65535" },
                new Sysctl { Name = "net.ipv4.tcp_keepalive_time", Value = "600" },
                new Sysctl { Name = "kernel.msgmax", Value = "1" },
                new Sysctl { Name = "net.core.somaxconn", Value = "1024" },
            },
        };
        var result = Evaluate(Baseline, spec);
        Assert.Equal("forbidden sysctls (kernel.msgmax, net.core.somaxconn)", result.ForbiddenDetail);
        Assert.Equal(["spec.securityContext.sysctls[2].name", "spec.securityContext.sysctls[3].name"], result.FieldPaths);

        // tcp_keepalive_time is safe from 1.29 on.
        var v128 = new PodSecurityLevelVersion(PodSecurityLevel.Baseline, new PodSecurityVersion(28));
        Assert.Equal("forbidden sysctls (net.ipv4.tcp_keepalive_time, kernel.msgmax, net.core.somaxconn)", Detail(v128, spec));
    }

    [Fact]
    public void ProbeAndLifecycleHosts_RefusedFromV134_NotBefore()
    {
        var container = new Container
        {
            Name = "a",
            LivenessProbe = new Probe { HttpGet = new HTTPGetAction { Path = "/", Host = "10.0.0.1", Port = new IntOrString { IntValue = 80 } } },
            Lifecycle = new Lifecycle { PreStop = new LifecycleHandler { TcpSocket = new TCPSocketAction { Host = "example.com", Port = new IntOrString { IntValue = 1 } } } },
        };
        var result = Evaluate(Baseline, Spec(container, Container("b")));
        Assert.Equal("probe or lifecycle host (container \"a\" uses probe or lifecycle hosts \"10.0.0.1\", \"example.com\")", result.ForbiddenDetail);
        Assert.Equal(["spec.containers[0].livenessProbe.httpGet.host", "spec.containers[0].lifecycle.preStop.tcpSocket.host"], result.FieldPaths);
        Assert.True(Evaluate(new PodSecurityLevelVersion(PodSecurityLevel.Baseline, new PodSecurityVersion(33)), Spec(container)).Allowed);
    }

    [Fact]
    public void ManyFailingChecks_JoinedInKubernetesOrder_ReasonsAlone()
    {
        var spec = Spec(new Container { Name = "a", SecurityContext = new SecurityContext { Privileged = true } });
        spec.HostPid = true;
        spec.Volumes.Add(HostPath("varlog"));
        var result = Evaluate(Baseline, spec);
        Assert.Equal(
            "host namespaces (hostPID=true), hostPath volumes (volume \"varlog\"), privileged (container \"a\" must not set securityContext.privileged=true)",
            result.ForbiddenDetail);
        Assert.Equal("host namespaces, hostPath volumes, privileged", result.ForbiddenReason);
    }
}
