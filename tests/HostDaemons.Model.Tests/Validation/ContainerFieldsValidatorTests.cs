using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;
using static HostDaemons.Model.Tests.TemplateYaml;

namespace HostDaemons.Model.Tests.Validation;

/// <summary>A container's ports, security context, terminal flags and env sources, read from a DaemonSet manifest.</summary>
public sealed class ContainerFieldsValidatorTests
{
    private const string FieldPaths = "\"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.podIP\"";

    // Ports

    [Fact]
    public void Read_PortsWithNamesAndProtocols_AreValid()
    {
        var spec = Spec("""
            ports:
            - name: http
              containerPort: 8080
            - name: dns
              containerPort: 53
              protocol: UDP
            - name: sctp-x
              containerPort: 9999
              protocol: SCTP
            """);

        Assert.Equal(["8080/TCP", "53/UDP", "9999/SCTP"], spec.Containers[0].Ports.Select(p => $"{p.ContainerPort_}/{p.Protocol}"));
    }

    [Theory]
    [InlineData(65536)]
    [InlineData(-1)]
    [InlineData(100000)]
    public void Read_ContainerPortOutOfRange_IsInvalidAtItsLine(int port)
    {
        var problems = Problems($"""
            ports:
            - containerPort: {port}
            """);

        Assert.Equal([Invalid(18, 11, $"{ContainerPath}.ports[0].containerPort: Invalid value: {port}: must be between 1 and 65535, inclusive")], problems);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65535)]
    public void Read_ContainerPortAtRangeEdge_IsValid(int port)
    {
        Assert.Empty(Problems($"""
            ports:
            - containerPort: {port}
            """));
    }

    [Fact]
    public void Read_PortWithoutContainerPort_IsRequired()
    {
        var problems = Problems("""
            ports:
            - name: http
            """);

        Assert.Equal([Invalid(18, 11, $"{ContainerPath}.ports[0].containerPort: Required value")], problems);
    }

    [Fact]
    public void Read_HostPortWithoutHostNetwork_IsValid()
    {
        var spec = Spec("""
            ports:
            - containerPort: 8080
              hostPort: 18080
              hostIP: 127.0.0.1
            """);

        Assert.Equal((18080, "127.0.0.1"), (spec.Containers[0].Ports[0].HostPort, spec.Containers[0].Ports[0].HostIp));
    }

    [Fact]
    public void Read_HostPortEqualToContainerPortWithHostNetwork_IsValid()
    {
        var spec = Spec(
            """
            ports:
            - containerPort: 8080
              hostPort: 8080
            """,
            "hostNetwork: true");

        Assert.Equal(8080, spec.Containers[0].Ports[0].HostPort);
    }

    [Fact]
    public void Read_HostPortDifferentFromContainerPortWithHostNetwork_MustMatch()
    {
        var problems = Problems(
            """
            ports:
            - containerPort: 8080
              hostPort: 9090
            """,
            "hostNetwork: true");

        Assert.Equal([Invalid(19, 11, $"{ContainerPath}.ports[0].hostPort: Invalid value: 9090: must match `containerPort` when `hostNetwork` is true")], problems);
    }

    [Theory]
    [InlineData(70000)]
    [InlineData(-5)]
    public void Read_HostPortOutOfRange_IsInvalid(int hostPort)
    {
        var problems = Problems(
            $"""
            ports:
            - containerPort: 8080
              hostPort: {hostPort}
            """,
            "hostNetwork: true");

        Assert.Equal([Invalid(19, 11, $"{ContainerPath}.ports[0].hostPort: Invalid value: {hostPort}: must be between 1 and 65535, inclusive")], problems);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("HTTP")]
    [InlineData("Udp")]
    public void Read_UnknownProtocol_ListsSupportedValues(string protocol)
    {
        var problems = Problems($"""
            ports:
            - containerPort: 8080
              protocol: {protocol}
            """);

        Assert.Equal([Invalid(19, 11, $"{ContainerPath}.ports[0].protocol: Unsupported value: \"{protocol}\": supported values: \"TCP\", \"UDP\", \"SCTP\"")], problems);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("dns-tcp")]
    [InlineData("a1")]
    [InlineData("abcdefghijklmno")]
    [InlineData("metrics-2")]
    [InlineData("9p")]
    public void Read_ValidPortName_IsAccepted(string name)
    {
        Assert.Empty(Problems($"""
            ports:
            - name: {name}
              containerPort: 8080
            """));
    }

    [Theory]
    [InlineData("HTTP")]
    [InlineData("1234")]
    [InlineData("-http")]
    [InlineData("http-")]
    [InlineData("http_alt")]
    [InlineData("a-very-long-name")]
    [InlineData("web.ui")]
    public void Read_InvalidPortName_IsInvalid(string name)
    {
        var problems = Problems($"""
            ports:
            - name: "{name}"
              containerPort: 8080
            """);

        Assert.Equal([Invalid(18, 11, $"{ContainerPath}.ports[0].name: Invalid value: \"{name}\": must be no more than 15 characters, contain only lowercase alphanumeric characters or '-', and contain at least one letter")], problems);
    }

    [Fact]
    public void Read_PortNameWithConsecutiveHyphens_IsInvalid()
    {
        var problems = Problems("""
            ports:
            - name: a--b
              containerPort: 8080
            """);

        var problem = Assert.Single(problems);
        Assert.StartsWith(Invalid(18, 11, $"{ContainerPath}.ports[0].name: Invalid value: \"a--b\""), problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicatePortNameInOneContainer_IsDuplicateAtTheSecond()
    {
        var problems = Problems("""
            ports:
            - name: http
              containerPort: 8080
            - name: http
              containerPort: 8081
            """);

        Assert.Equal([Invalid(20, 11, $"{ContainerPath}.ports[1].name: Duplicate value: \"http\"")], problems);
    }

    [Fact]
    public void Read_SamePortNameInTwoContainers_IsValid()
    {
        Assert.Empty(Problems(
            """
            ports:
            - name: http
              containerPort: 8080
            """,
            """
            - name: second
              image: busybox
              ports:
              - name: http
                containerPort: 8081
            """));
    }

    [Fact]
    public void Read_SameHostPortInTwoContainers_IsDuplicateWithProtocol()
    {
        var problems = Problems(
            """
            ports:
            - containerPort: 8080
              hostPort: 8080
            """,
            """
            - name: second
              image: busybox
              ports:
              - containerPort: 8080
                hostPort: 8080
            hostNetwork: true
            """);

        Assert.Equal([Invalid(24, 11, "spec.template.spec.containers[1].ports[0].hostPort: Duplicate value: \"8080/TCP\"")], problems);
    }

    [Fact]
    public void Read_SameHostPortTwiceInOneContainer_IsDuplicate()
    {
        var problems = Problems(
            """
            ports:
            - containerPort: 53
              hostPort: 53
              protocol: UDP
            - containerPort: 53
              hostPort: 53
              protocol: UDP
            """,
            "hostNetwork: true");

        Assert.Equal([Invalid(22, 11, $"{ContainerPath}.ports[1].hostPort: Duplicate value: \"53/UDP\"")], problems);
    }

    [Fact]
    public void Read_SameHostPortWithTcpAndUdp_IsValid()
    {
        Assert.Empty(Problems(
            """
            ports:
            - containerPort: 53
              hostPort: 53
            - containerPort: 53
              hostPort: 53
              protocol: UDP
            """,
            "hostNetwork: true"));
    }

    [Fact]
    public void Read_SameContainerPortWithoutHostPorts_IsValid()
    {
        Assert.Empty(Problems(
            """
            ports:
            - containerPort: 8080
            """,
            """
            - name: second
              image: busybox
              ports:
              - containerPort: 8080
            """));
    }

    // Security context

    [Theory]
    [InlineData("runAsUser", -1L)]
    [InlineData("runAsUser", 2147483648L)]
    [InlineData("runAsGroup", -1L)]
    [InlineData("runAsGroup", 4294967296L)]
    public void Read_ContainerIdOutOfRange_IsInvalid(string field, long value)
    {
        var problems = Problems($"""
            securityContext:
              {field}: {value}
            """);

        Assert.Equal([Invalid(18, 11, $"{ContainerPath}.securityContext.{field}: Invalid value: {value}: must be between 0 and 2147483647, inclusive")], problems);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1000L)]
    [InlineData(2147483647L)]
    public void Read_ContainerIdsInRange_AreValid(long value)
    {
        var spec = Spec($"""
            securityContext:
              runAsUser: {value}
              runAsGroup: {value}
            """);

        Assert.Equal(value, spec.Containers[0].SecurityContext.RunAsUser);
        Assert.Equal(value, spec.Containers[0].SecurityContext.RunAsGroup);
    }

    [Fact]
    public void Read_RunAsGroupWithoutAnyRunAsUser_IsRejected()
    {
        var problems = Problems("""
            securityContext:
              runAsGroup: 2000
            """);

        var problem = Assert.Single(problems);
        Assert.StartsWith(Invalid(18, 11, $"{ContainerPath}.securityContext.runAsGroup"), problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runAsUser")]
    [InlineData("runAsGroup")]
    public void Read_PodIdOutOfRange_IsInvalid(string field)
    {
        var problems = Problems(pod: $"""
            securityContext:
              {field}: -1
            """);

        Assert.Equal([Invalid(18, 9, $"{PodSpecPath}.securityContext.{field}: Invalid value: -1: must be between 0 and 2147483647, inclusive")], problems);
    }

    [Fact]
    public void Read_NegativeSupplementalGroup_IsInvalid()
    {
        var problems = Problems(pod: """
            securityContext:
              supplementalGroups: [10, -1]
            """);

        Assert.Equal([Invalid(18, 34, $"{PodSpecPath}.securityContext.supplementalGroups[1]: Invalid value: -1: must be between 0 and 2147483647, inclusive")], problems);
    }

    [Fact]
    public void Read_SupplementalGroupAboveMaximum_IsInvalid()
    {
        var problems = Problems(pod: """
            securityContext:
              supplementalGroups: [2147483648]
            """);

        Assert.Equal([Invalid(18, 30, $"{PodSpecPath}.securityContext.supplementalGroups[0]: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive")], problems);
    }

    [Fact]
    public void Read_CapabilityNames_AreValid()
    {
        var spec = Spec("""
            securityContext:
              privileged: false
              readOnlyRootFilesystem: true
              capabilities:
                add: [NET_ADMIN, SYS_TIME, CAP_SYS_PTRACE]
                drop: [ALL]
            """);

        var security = spec.Containers[0].SecurityContext;
        Assert.Equal(["NET_ADMIN", "SYS_TIME", "CAP_SYS_PTRACE"], security.Capabilities.Add);
        Assert.Equal(["ALL"], security.Capabilities.Drop);
        Assert.True(security.HasPrivileged);
        Assert.True(security.ReadOnlyRootFilesystem);
    }

    [Theory]
    [InlineData("add", "net_admin")]
    [InlineData("add", "NET-ADMIN")]
    [InlineData("drop", "all")]
    [InlineData("drop", "SYS ADMIN")]
    [InlineData("add", "")]
    public void Read_BadCapabilityName_IsInvalidAtItsItem(string list, string capability)
    {
        var problems = Problems($"""
            securityContext:
              capabilities:
                {list}:
                - CHOWN
                - "{capability}"
            """);

        Assert.Equal([Invalid(21, 15, $"{ContainerPath}.securityContext.capabilities.{list}[1]: Invalid value: \"{capability}\": must be a capability name such as NET_ADMIN or ALL")], problems);
    }

    // Terminal flags

    [Theory]
    [InlineData("stdin", "HostDaemons runs daemons without stdin")]
    [InlineData("tty", "HostDaemons runs daemons without a terminal")]
    public void Read_TerminalFlagTrue_IsForbidden(string field, string detail)
    {
        var problems = Problems($"{field}: true");

        Assert.Equal([Invalid(17, 9, $"{ContainerPath}.{field}: Forbidden: {detail}")], problems);
    }

    [Fact]
    public void Read_TerminalFlagsFalse_AreAccepted()
    {
        var spec = Spec("stdin: false\ntty: false");

        Assert.False(spec.Containers[0].Stdin);
        Assert.False(spec.Containers[0].Tty);
    }

    // Env sources

    [Theory]
    [InlineData("metadata.name")]
    [InlineData("metadata.namespace")]
    [InlineData("metadata.uid")]
    [InlineData("spec.nodeName")]
    [InlineData("spec.serviceAccountName")]
    [InlineData("status.hostIP")]
    [InlineData("status.podIP")]
    public void Read_SupportedFieldRef_IsValidAndDefaultsApiVersion(string fieldPath)
    {
        var spec = Spec($"""
            env:
            - name: VALUE
              valueFrom:
                fieldRef:
                  fieldPath: {fieldPath}
            """);

        var field = spec.Containers[0].Env[0].ValueFrom.FieldRef;
        Assert.Equal(fieldPath, field.FieldPath);
        Assert.Equal("v1", field.ApiVersion);
    }

    [Theory]
    [InlineData("metadata.labels")]
    [InlineData("metadata.annotations['a']")]
    [InlineData("status.phase")]
    [InlineData("spec.hostNetwork")]
    [InlineData("metadata.Name")]
    public void Read_UnsupportedFieldRef_ListsSupportedPaths(string fieldPath)
    {
        var problems = Problems($"""
            env:
            - name: VALUE
              valueFrom:
                fieldRef:
                  fieldPath: "{fieldPath}"
            """);

        Assert.Equal([Invalid(21, 15, $"{ContainerPath}.env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"{fieldPath}\": supported values: {FieldPaths}")], problems);
    }

    [Fact]
    public void Read_FieldRefWithoutPath_IsRequired()
    {
        var problems = Problems("""
            env:
            - name: VALUE
              valueFrom:
                fieldRef:
                  apiVersion: v1
            """);

        Assert.Equal([Invalid(20, 13, $"{ContainerPath}.env[0].valueFrom.fieldRef.fieldPath: Required value")], problems);
    }

    [Fact]
    public void Read_FieldRefApiVersionOtherThanV1_IsUnsupported()
    {
        var problems = Problems("""
            env:
            - name: VALUE
              valueFrom:
                fieldRef:
                  apiVersion: v2
                  fieldPath: metadata.name
            """);

        Assert.Equal([Invalid(21, 15, $"{ContainerPath}.env[0].valueFrom.fieldRef.apiVersion: Unsupported value: \"v2\": supported values: \"v1\"")], problems);
    }

    [Fact]
    public void Read_ValueAndValueFrom_ValueFromIsInvalid()
    {
        var problems = Problems("""
            env:
            - name: VALUE
              value: literal
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            """);

        Assert.Equal([Invalid(20, 11, $"{ContainerPath}.env[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty")], problems);
    }

    [Fact]
    public void Read_EmptyValueFrom_NeedsFieldRef()
    {
        var problems = Problems("""
            env:
            - name: VALUE
              valueFrom: {}
            """);

        Assert.Equal([Invalid(19, 11, $"{ContainerPath}.env[0].valueFrom.fieldRef: Required value: HostDaemons supports fieldRef sources")], problems);
    }

    [Fact]
    public void Read_SecretKeyRef_IsAnUnknownField()
    {
        var problems = Problems("""
            env:
            - name: VALUE
              valueFrom:
                secretKeyRef: {name: s, key: k}
            """);

        var problem = Assert.Single(problems);
        Assert.StartsWith($"{FileName}:20:13: {ContainerPath}.env[0].valueFrom: unknown field \"secretKeyRef\" in EnvVarSource", problem, StringComparison.Ordinal);
    }

    // The same rules on a Pod, through ObjectValidator

    [Fact]
    public void Validate_PodWithBadFields_UsesPodPaths()
    {
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = "p" },
            Spec = new PodSpec
            {
                Containers =
                {
                    new Container
                    {
                        Name = "main",
                        Image = "busybox",
                        Tty = true,
                        Ports = { new ContainerPort { ContainerPort_ = 8080, HostPort = 8080 } },
                        Env = { new EnvVar { Name = "N", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.phase" } } } },
                    },
                },
            },
        };
        ObjectValidator.ApplyDefaults(pod);

        var errors = ObjectValidator.Validate(pod).Select(e => e.ToString()).ToArray();

        Assert.Equal(
            [
                $"spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.phase\": supported values: {FieldPaths}",
                "spec.containers[0].tty: Forbidden: HostDaemons runs daemons without a terminal",
            ],
            errors);
        Assert.Equal("TCP", pod.Spec.Containers[0].Ports[0].Protocol);
        Assert.Equal("v1", pod.Spec.Containers[0].Env[0].ValueFrom.FieldRef.ApiVersion);
    }

    [Fact]
    public void Validate_DaemonSetObjectWithHostPortAndHostNetwork_IsValid()
    {
        var ds = TestObjects.DaemonSet();
        var spec = ds.Spec.Template.Spec;
        spec.HostNetwork = true;
        spec.Containers[0].Ports.Add(new ContainerPort { Name = "metrics", ContainerPort_ = 9100, HostPort = 9100 });
        ObjectDefaults.Apply(ds);

        Assert.Empty(ObjectValidator.Validate(ds));
    }
}
