using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;
using static HostDaemons.Model.Tests.TemplateYaml;

namespace HostDaemons.Model.Tests.Serialization;

/// <summary>Issue 13's pod spec fields from YAML to proto and back: Kubernetes' JSON names, YAML 1.1 octal modes.</summary>
public sealed class PodSpecRoundTripTests
{
    private const string Container = """
        envFrom:
        - configMapRef: {name: app}
          prefix: APP_
        env:
        - name: TOKEN
          valueFrom:
            secretKeyRef: {name: api, key: token, optional: true}
        - name: MEMORY
          valueFrom:
            resourceFieldRef: {resource: limits.memory, divisor: 1Mi}
        lifecycle:
          postStart:
            exec: {command: [sh, -c, date]}
          preStop:
            sleep: {seconds: 5}
        terminationMessagePolicy: FallbackToLogsOnError
        volumeMounts:
        - {name: config, mountPath: /etc/app}
        - {name: info, mountPath: /etc/info}
        - {name: host, mountPath: /host, mountPropagation: HostToContainer}
        securityContext:
          allowPrivilegeEscalation: false
          runAsNonRoot: true
          seccompProfile: {type: RuntimeDefault}
        resources:
          limits: {memory: 64Mi, example.com/dongle: 1}
        """;

    private const string Pod = """
        initContainers:
        - name: setup
          image: busybox
          command: [sh, -c, "true"]
        - name: proxy
          image: envoy
          restartPolicy: Always
        hostIPC: true
        shareProcessNamespace: true
        priorityClassName: system-node-critical
        priority: 2000001000
        preemptionPolicy: PreemptLowerPriority
        automountServiceAccountToken: false
        readinessGates: [{conditionType: example.com/ready}]
        hostAliases: [{ip: 10.0.0.1, hostnames: [registry.local]}]
        securityContext:
          fsGroup: 2000
          sysctls: [{name: net.ipv4.ping_group_range, value: "0 2147483647"}]
          appArmorProfile: {type: RuntimeDefault}
        volumes:
        - name: config
          configMap:
            name: app
            defaultMode: 0644
            items: [{key: app.conf, path: app.conf, mode: 0400}]
        - name: info
          downwardAPI:
            items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]
        - name: host
          hostPath: {path: /}
        - name: certs
          secret: {secretName: tls, optional: false}
        - name: all
          projected:
            sources:
            - configMap: {name: app, optional: true}
            - secret: {name: tls}
        """;

    [Fact]
    public void ToYaml_NewPodSpecFields_DecodeBackEqual()
    {
        var original = Assert.IsType<DaemonSet>(Assert.Single(Read(Container, Pod).Objects).Value);
        var yaml = ManifestWriter.ToYaml(ObjectEncoder.Encode(original));

        var again = ManifestReader.Read(yaml, "again.yaml");

        Assert.True(again.Succeeded, string.Join("\n", again.Problems));
        Assert.Equal(original, Assert.Single(again.Objects).Value);
    }

    [Fact]
    public void ToYaml_NewPodSpecFields_UseKubernetesNamesAndDecimalModes()
    {
        var original = Assert.IsType<DaemonSet>(Assert.Single(Read(Container, Pod).Objects).Value);

        var yaml = ManifestWriter.ToYaml(ObjectEncoder.Encode(original));

        Assert.Contains("downwardAPI:\n", yaml, StringComparison.Ordinal);
        Assert.Contains("hostIPC: true\n", yaml, StringComparison.Ordinal);
        Assert.Contains("defaultMode: 420\n", yaml, StringComparison.Ordinal);
        Assert.Contains("mode: 256\n", yaml, StringComparison.Ordinal);
        Assert.Contains("divisor: 1Mi\n", yaml, StringComparison.Ordinal);
        Assert.Contains("example.com/dongle: \"1\"\n", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0644", 420)]
    [InlineData("0o644", 420)]
    [InlineData("420", 420)]
    [InlineData("0x1A4", 420)]
    [InlineData("0b110100100", 420)]
    [InlineData("0", 0)]
    [InlineData("08", 8)]
    [InlineData("0_644", 420)]
    public void Read_DefaultModeInAnyYaml11IntegerForm_IsItsValue(string written, int mode)
    {
        var spec = Spec(pod: $"volumes:\n- name: v\n  configMap: {{name: c, defaultMode: {written}}}");

        Assert.Equal(mode, spec.Volumes[0].ConfigMap.DefaultMode);
    }

    [Fact]
    public void Read_QuotedOctalMode_IsAStringNotAnInteger()
    {
        var problem = Assert.Single(Problems(pod: "volumes:\n- name: v\n  configMap: {name: c, defaultMode: \"0644\"}"));

        Assert.EndsWith("volumes[0].configMap.defaultMode: expected an integer, got \"0644\"", problem, StringComparison.Ordinal);
    }
}
