using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;
using static HostDaemons.Model.Tests.TemplateYaml;

namespace HostDaemons.Model.Tests.Serialization;

/// <summary>How the pod template's newer fields read from YAML: JSON names, int-or-string ports, optional values.</summary>
public sealed class PodTemplateDecodingTests
{
    [Fact]
    public void Read_EveryTemplateField_DecodesIntoTheSpec()
    {
        var spec = Spec(
            """
            ports:
            - {name: metrics, containerPort: 9100, hostPort: 9100, protocol: TCP}
            securityContext:
              privileged: true
              runAsUser: 1000
              runAsGroup: 2000
              readOnlyRootFilesystem: true
              capabilities: {add: [NET_ADMIN], drop: [ALL]}
            env:
            - name: POD_IP
              valueFrom:
                fieldRef: {apiVersion: v1, fieldPath: status.podIP}
            readinessProbe:
              httpGet: {port: metrics, path: /metrics, host: 127.0.0.1, httpHeaders: [{name: Accept, value: text/plain}]}
              periodSeconds: 5
            livenessProbe:
              tcpSocket: {port: 9100}
              terminationGracePeriodSeconds: 3
            startupProbe:
              exec: {command: [cat, /tmp/ready]}
              failureThreshold: 30
            stdin: false
            tty: false
            """,
            """
            hostNetwork: true
            hostPID: true
            dnsPolicy: ClusterFirstWithHostNet
            dnsConfig:
              nameservers: [192.0.2.53]
              searches: [example.com]
              options: [{name: ndots, value: "2"}, {name: edns0}]
            securityContext:
              runAsUser: 10
              runAsGroup: 20
              supplementalGroups: [30, 40]
            """);

        var container = spec.Containers[0];
        Assert.Equal(9100, container.Ports[0].HostPort);
        Assert.True(container.SecurityContext.Privileged);
        Assert.Equal((1000L, 2000L), (container.SecurityContext.RunAsUser, container.SecurityContext.RunAsGroup));
        Assert.Equal("status.podIP", container.Env[0].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metrics", container.ReadinessProbe.HttpGet.Port.StringValue);
        Assert.Equal("127.0.0.1", container.ReadinessProbe.HttpGet.Host);
        Assert.Equal(("Accept", "text/plain"), (container.ReadinessProbe.HttpGet.HttpHeaders[0].Name, container.ReadinessProbe.HttpGet.HttpHeaders[0].Value));
        Assert.Equal(9100, container.LivenessProbe.TcpSocket.Port.IntValue);
        Assert.Equal(3, container.LivenessProbe.TerminationGracePeriodSeconds);
        Assert.Equal(["cat", "/tmp/ready"], container.StartupProbe.Exec.Command);
        Assert.True(spec.HostPid);
        Assert.Equal("ClusterFirstWithHostNet", spec.DnsPolicy);
        Assert.Equal("2", spec.DnsConfig.Options[0].Value);
        Assert.False(spec.DnsConfig.Options[1].HasValue);
        Assert.Equal([30L, 40L], spec.SecurityContext.SupplementalGroups);
        Assert.Equal((10L, 20L), (spec.SecurityContext.RunAsUser, spec.SecurityContext.RunAsGroup));
    }

    [Theory]
    [InlineData("http", IntOrString.ValueOneofCase.StringValue, 0, "http")]
    [InlineData("8080", IntOrString.ValueOneofCase.IntValue, 8080, "")]
    [InlineData("'8080'", IntOrString.ValueOneofCase.StringValue, 0, "8080")]
    [InlineData("\"web\"", IntOrString.ValueOneofCase.StringValue, 0, "web")]
    public void Read_HttpGetPort_IsIntOrString(string text, IntOrString.ValueOneofCase expectedCase, int number, string name)
    {
        var result = ManifestReader.Read(Text($"readinessProbe:\n  httpGet:\n    port: {text}"), FileName, validate: false);

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        var port = Assert.IsType<DaemonSet>(Assert.Single(result.Objects).Value).Spec.Template.Spec.Containers[0].ReadinessProbe.HttpGet.Port;
        Assert.Equal(expectedCase, port.ValueCase);
        Assert.Equal(number, port.IntValue);
        Assert.Equal(name, port.StringValue);
    }

    [Fact]
    public void Read_ProbePortAsList_ExpectsIntegerOrString()
    {
        var problem = Assert.Single(Problems("livenessProbe:\n  tcpSocket:\n    port: [80]"));

        Assert.Equal($"{FileName}:19:19: {ContainerPath}.livenessProbe.tcpSocket.port: expected an integer or a string, got a list", problem);
    }

    [Theory]
    [InlineData("ports:\n- containerPort: http", "ports[0].containerPort", 18, 26, "expected an integer, got \"http\"")]
    [InlineData("securityContext:\n  runAsUser: root", "securityContext.runAsUser", 18, 22, "expected an integer, got \"root\"")]
    [InlineData("securityContext:\n  privileged: maybe", "securityContext.privileged", 18, 23, "expected true or false, got \"maybe\"")]
    [InlineData("stdin: \"false\"", "stdin", 17, 16, "expected true or false, got \"false\"")]
    [InlineData("readinessProbe:\n  exec:\n    command: true", "readinessProbe.exec.command", 19, 22, "expected a list, got \"true\"")]
    public void Read_WrongScalarTypeInContainer_SaysWhatWasExpected(string container, string path, int line, int column, string message)
    {
        var problem = Assert.Single(Problems(container));

        Assert.Equal($"{FileName}:{line}:{column}: {ContainerPath}.{path}: {message}", problem);
    }

    [Theory]
    [InlineData("securityContext:\n  seLinuxOptions: {level: s0}", 18, 11, "securityContext", "seLinuxOptions", "SecurityContext", null)]
    [InlineData("readinessProbe:\n  grpc: {port: 1}", 18, 11, "readinessProbe", "grpc", "Probe", null)]
    [InlineData("readinessProbe:\n  httpget: {port: 1}", 18, 11, "readinessProbe", "httpget", "Probe", "httpGet")]
    [InlineData("ports:\n- containerport: 80", 18, 11, "ports[0]", "containerport", "ContainerPort", "containerPort")]
    public void Read_UnsupportedOrMisspelledField_IsUnknownAtItsLine(string container, int line, int column, string path, string key, string message, string? suggestion)
    {
        var problem = Assert.Single(Problems(container));

        var expected = $"{FileName}:{line}:{column}: {ContainerPath}.{path}: unknown field \"{key}\" in {message}";
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        if (suggestion is not null)
        {
            Assert.EndsWith($"(did you mean \"{suggestion}\"?)", problem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("volumes:\n- name: v\n  emptyDir: {medium: Memory}", "Memory", "")]
    [InlineData("volumes:\n- name: v\n  emptyDir: {}", "", "")]
    [InlineData("volumes:\n- name: v\n  emptyDir:", null, null)]
    public void Read_EmptyDir_DecodesMediumAndSizeLimit(string pod, string? medium, string? sizeLimit)
    {
        var result = ManifestReader.Read(Text(pod: pod), FileName, validate: false);

        var volume = Assert.IsType<DaemonSet>(Assert.Single(result.Objects).Value).Spec.Template.Spec.Volumes[0];
        Assert.Equal(medium, volume.EmptyDir?.Medium);
        Assert.Equal(sizeLimit, volume.EmptyDir?.SizeLimit);
    }

    [Fact]
    public void Read_EmptyDirWrittenAsNull_HasNoVolumeType()
    {
        var problem = Assert.Single(Problems(pod: "volumes:\n- name: v\n  emptyDir:"));

        Assert.Equal(Invalid(18, 9, $"{PodSpecPath}.volumes[0]: Required value: must specify a volume type"), problem);
    }

    [Fact]
    public void Encode_TemplateFields_UseKubernetesJsonNames()
    {
        var spec = Spec(
            "ports:\n- {containerPort: 53}",
            "hostPID: true\ndnsConfig: {nameservers: [192.0.2.53]}");

        var json = ObjectEncoder.Encode(spec);

        Assert.True(json["hostPID"]!.GetValue<bool>());
        Assert.Equal(53, json["containers"]![0]!["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Equal("192.0.2.53", json["dnsConfig"]!["nameservers"]![0]!.GetValue<string>());
    }
}
