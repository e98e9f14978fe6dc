using static HostDaemons.Model.Tests.TemplateYaml;

namespace HostDaemons.Model.Tests.Validation;

/// <summary>configMap, secret, downwardAPI and projected volumes, read from a DaemonSet manifest, with Kubernetes' messages.</summary>
public sealed class VolumeValidatorTests
{
    private const string Volume = PodSpecPath + ".volumes[0]";
    private const string ModeMessage = "must be a number between 0 and 0777 (octal), both inclusive";
    private const string VolumeFieldPaths = "\"metadata.annotations\", \"metadata.labels\", \"metadata.name\", \"metadata.namespace\", \"metadata.uid\"";
    private const string Resources = "\"limits.cpu\", \"limits.ephemeral-storage\", \"limits.memory\", \"requests.cpu\", \"requests.ephemeral-storage\", \"requests.memory\"";

    public static TheoryData<string, string> BadVolumes => new()
    {
        { "configMap: {}", $"{Volume}.configMap.name: Required value" },
        { "secret: {}", $"{Volume}.secret.secretName: Required value" },
        { "configMap: {name: c, defaultMode: 01000}", $"{Volume}.configMap.defaultMode: Invalid value: 512: {ModeMessage}" },
        { "secret: {secretName: s, defaultMode: -1}", $"{Volume}.secret.defaultMode: Invalid value: -1: {ModeMessage}" },
        { "downwardAPI: {defaultMode: 4096}", $"{Volume}.downwardAPI.defaultMode: Invalid value: 4096: {ModeMessage}" },
        { "projected: {defaultMode: 01000, sources: []}", $"{Volume}.projected.defaultMode: Invalid value: 512: {ModeMessage}" },
        { "configMap: {name: c, items: [{path: a}]}", $"{Volume}.configMap.items[0].key: Required value" },
        { "configMap: {name: c, items: [{key: a}]}", $"{Volume}.configMap.items[0].path: Required value" },
        { "secret: {secretName: s, items: [{key: a, path: /etc/a}]}", $"{Volume}.secret.items[0].path: Invalid value: \"/etc/a\": must be a relative path" },
        { "configMap: {name: c, items: [{key: a, path: a/../../b}]}", $"{Volume}.configMap.items[0].path: Invalid value: \"a/../../b\": must not contain '..'" },
        { "configMap: {name: c, items: [{key: a, path: ..data}]}", $"{Volume}.configMap.items[0].path: Invalid value: \"..data\": must not start with '..'" },
        { "configMap: {name: c, items: [{key: a, path: a, mode: 01000}]}", $"{Volume}.configMap.items[0].mode: Invalid value: 512: {ModeMessage}" },
        { "secret: {secretName: s}\n  configMap: {name: c}", $"{Volume}.configMap: Forbidden: may not specify more than 1 volume type" },
        { "projected: {sources: []}\n  hostPath: {path: /p}", $"{Volume}.projected: Forbidden: may not specify more than 1 volume type" },
        { "downwardAPI: {items: [{path: a}]}", $"{Volume}.downwardAPI.items[0]: Required value: one of fieldRef and resourceFieldRef is required" },
        {
            "downwardAPI: {items: [{path: a, fieldRef: {fieldPath: metadata.name}, resourceFieldRef: {containerName: main, resource: limits.cpu}}]}",
            $"{Volume}.downwardAPI.items[0]: Invalid value: \"resource\": fieldRef and resourceFieldRef can not be specified simultaneously"
        },
        { "downwardAPI: {items: [{fieldRef: {fieldPath: metadata.name}}]}", $"{Volume}.downwardAPI.items[0].path: Required value" },
        {
            "downwardAPI: {items: [{path: node, fieldRef: {fieldPath: spec.nodeName}}]}",
            $"{Volume}.downwardAPI.items[0].fieldRef.fieldPath: Unsupported value: \"spec.nodeName\": supported values: {VolumeFieldPaths}"
        },
        { "downwardAPI: {items: [{path: a, resourceFieldRef: {resource: limits.cpu}}]}", $"{Volume}.downwardAPI.items[0].resourceFieldRef.containerName: Required value" },
        {
            "downwardAPI: {items: [{path: a, resourceFieldRef: {containerName: other, resource: limits.cpu}}]}",
            $"{Volume}.downwardAPI.items[0].resourceFieldRef.containerName: Not found: \"other\""
        },
        {
            "downwardAPI: {items: [{path: a, resourceFieldRef: {containerName: main, resource: limits.gpu}}]}",
            $"{Volume}.downwardAPI.items[0].resourceFieldRef.resource: Unsupported value: \"limits.gpu\": supported values: {Resources}"
        },
        {
            "downwardAPI: {items: [{path: a, resourceFieldRef: {containerName: main, resource: limits.cpu, divisor: 1Ki}}]}",
            $"{Volume}.downwardAPI.items[0].resourceFieldRef.divisor: Invalid value: \"limits.cpu\": only divisor's values 1m and 1 are supported with the cpu resource"
        },
        {
            "downwardAPI: {items: [{path: a, mode: -2, fieldRef: {fieldPath: metadata.uid}}]}",
            $"{Volume}.downwardAPI.items[0].mode: Invalid value: -2: {ModeMessage}"
        },
        { "projected: {sources: [{configMap: {}}]}", $"{Volume}.projected.sources[0].configMap.name: Required value" },
        { "projected: {sources: [{secret: {name: s, items: [{key: k}]}}]}", $"{Volume}.projected.sources[0].secret.items[0].path: Required value" },
        {
            "projected: {sources: [{configMap: {name: c}, secret: {name: s}}]}",
            $"{Volume}.projected.sources[0]: Forbidden: may not specify more than 1 volume type per source"
        },
        {
            "projected: {sources: [{serviceAccountToken: {path: token, expirationSeconds: 599}}]}",
            $"{Volume}.projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes"
        },
        { "projected: {sources: [{serviceAccountToken: {audience: vault}}]}", $"{Volume}.projected.path: Required value" },
        { "projected: {sources: [{serviceAccountToken: {path: ../token}}]}", $"{Volume}.projected.path: Invalid value: \"../token\": must not contain '..'" },
        {
            "projected: {sources: [{configMap: {name: c, items: [{key: a, path: config}]}}, {secret: {name: s, items: [{key: b, path: config}]}}]}",
            $"{Volume}.projected.sources[1].secret.items[0].path: Invalid value: \"config\": conflicting duplicate paths"
        },
        {
            "projected: {sources: [{downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}, {path: labels, fieldRef: {fieldPath: metadata.name}}]}}]}",
            $"{Volume}.projected.sources[0].downwardAPI.items[1].path: Invalid value: \"labels\": conflicting duplicate paths"
        },
    };

    [Theory]
    [MemberData(nameof(BadVolumes))]
    public void Read_BadVolume_IsRefusedWithKubernetesMessage(string source, string expected)
    {
        Assert.Equal([expected], Errors(pod: $"volumes:\n- name: v\n  {source}"));
    }

    [Fact]
    public void Read_EveryVolumeType_DecodesAndGetsDefaultModes()
    {
        var spec = Spec(pod: """
            volumes:
            - name: config
              configMap:
                name: app-config
                items:
                - key: app.conf
                  path: conf/app.conf
                  mode: 0400
                optional: true
            - name: certs
              secret:
                secretName: tls
                defaultMode: 0600
            - name: info
              downwardAPI:
                items:
                - path: labels
                  fieldRef:
                    fieldPath: metadata.labels
                - path: name
                  fieldRef:
                    fieldPath: "metadata.labels['app']"
                - path: memory
                  resourceFieldRef:
                    containerName: main
                    resource: limits.memory
                    divisor: 1Mi
            - name: all
              projected:
                sources:
                - configMap:
                    name: app-config
                    optional: true
                - secret:
                    name: tls
                    items:
                    - key: tls.crt
                      path: tls.crt
                - downwardAPI:
                    items:
                    - path: uid
                      fieldRef:
                        fieldPath: metadata.uid
            """);

        Assert.Equal([420, 384, 420, 420], new[] { spec.Volumes[0].ConfigMap.DefaultMode, spec.Volumes[1].Secret.DefaultMode, spec.Volumes[2].DownwardApi.DefaultMode, spec.Volumes[3].Projected.DefaultMode });
        Assert.Equal(256, spec.Volumes[0].ConfigMap.Items[0].Mode);
        Assert.True(spec.Volumes[0].ConfigMap.Optional);
        Assert.Equal("v1", spec.Volumes[2].DownwardApi.Items[0].FieldRef.ApiVersion);
        Assert.Equal("1Mi", spec.Volumes[2].DownwardApi.Items[2].ResourceFieldRef.Divisor);
        Assert.Equal("v1", spec.Volumes[3].Projected.Sources[2].DownwardApi.Items[0].FieldRef.ApiVersion);
    }

    [Fact]
    public void Read_ItemsKeyThatNoConfigMapCouldHold_IsLeftToMountTime()
    {
        // As in Kubernetes: only a missing key is refused; an optional source may lack any key.
        Spec(pod: "volumes:\n- name: v\n  configMap: {name: c, optional: true, items: [{key: a/b, path: a}]}");
    }

    [Fact]
    public void Read_BadProjectedSource_IsReportedAtItsLine()
    {
        var problems = Problems(pod: """
            volumes:
            - name: all
              projected:
                sources:
                - configMap: {name: c}
                - serviceAccountToken:
                    path: token
                    expirationSeconds: 60
            """);

        Assert.Equal([Invalid(24, 15, $"{Volume}.projected.sources[1].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes")], problems);
    }

    [Fact]
    public void Read_ServiceAccountTokenProjection_IsValid()
    {
        Spec(pod: "volumes:\n- name: v\n  projected: {sources: [{serviceAccountToken: {path: token, audience: vault, expirationSeconds: 600}}, {serviceAccountToken: {path: default}}]}");
    }

    // Mount propagation

    [Theory]
    [InlineData("None", false)]
    [InlineData("HostToContainer", false)]
    [InlineData("Bidirectional", true)]
    public void Read_MountPropagation_IsValid(string propagation, bool privileged)
    {
        var spec = Spec(
            $"""
            securityContext: {"{"}privileged: {privileged.ToString().ToLowerInvariant()}{"}"}
            volumeMounts:
            - name: host
              mountPath: /host
              mountPropagation: {propagation}
            """,
            "volumes:\n- name: host\n  hostPath: {path: /}");

        Assert.Equal(propagation, spec.Containers[0].VolumeMounts[0].MountPropagation);
    }

    [Theory]
    [InlineData("privileged: false")]
    [InlineData("runAsUser: 0")]
    public void Read_BidirectionalWithoutPrivileged_IsForbidden(string security)
    {
        var errors = Errors(
            $"securityContext: {{{security}}}\nvolumeMounts:\n- name: host\n  mountPath: /host\n  mountPropagation: Bidirectional",
            "volumes:\n- name: host\n  hostPath: {path: /}");

        Assert.Equal([$"{ContainerPath}.volumeMounts[0].mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers"], errors);
    }

    [Fact]
    public void Read_UnknownMountPropagation_ListsSupportedValues()
    {
        var errors = Errors(
            "volumeMounts:\n- name: host\n  mountPath: /host\n  mountPropagation: Shared",
            "volumes:\n- name: host\n  hostPath: {path: /}");

        Assert.Equal([$"{ContainerPath}.volumeMounts[0].mountPropagation: Unsupported value: \"Shared\": supported values: \"Bidirectional\", \"HostToContainer\", \"None\""], errors);
    }
}
