using static HostDaemons.Model.Tests.TemplateYaml;

namespace HostDaemons.Model.Tests.Validation;

/// <summary>Init containers, sidecars and the termination message, read from a DaemonSet manifest.</summary>
public sealed class ContainerValidatorTests
{
    private const string Init = PodSpecPath + ".initContainers[0]";
    private const string InitOnly = "may not be set for init containers without restartPolicy=Always";

    public static TheoryData<string, string> BadInitContainers => new()
    {
        { "- name: main\n  image: busybox", $"{Init}.name: Duplicate value: \"main\"" },
        { "- name: setup", $"{Init}.image: Required value" },
        { "- name: setup\n  image: busybox\n  restartPolicy: Never", $"{Init}.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"" },
        { "- name: setup\n  image: busybox\n  lifecycle: {preStop: {exec: {command: [sh]}}}", $"{Init}.lifecycle: Forbidden: {InitOnly}" },
        { "- name: setup\n  image: busybox\n  livenessProbe: {exec: {command: [sh]}}", $"{Init}.livenessProbe: Forbidden: {InitOnly}" },
        { "- name: setup\n  image: busybox\n  readinessProbe: {exec: {command: [sh]}}", $"{Init}.readinessProbe: Forbidden: {InitOnly}" },
        { "- name: setup\n  image: busybox\n  startupProbe: {exec: {command: [sh]}}", $"{Init}.startupProbe: Forbidden: {InitOnly}" },
        { "- name: proxy\n  image: busybox\n  restartPolicy: Always\n  livenessProbe: {exec: {}}", $"{Init}.livenessProbe.exec.command: Required value" },
        { "- name: setup\n  image: busybox\n  tty: true", $"{Init}.tty: Forbidden: HostDaemons runs daemons without a terminal" },
        {
            "- name: setup\n  image: busybox\n  ports: [{containerPort: 80, hostPort: 80}, {containerPort: 81, hostPort: 80}]",
            $"{Init}.ports[1].hostPort: Duplicate value: \"TCP//80\""
        },
        { "- name: setup\n  image: busybox\n  resources: {limits: {cpu: lots}}", $"{Init}.resources.limits[cpu]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" },
        { "- name: a\n  image: busybox\n- name: a\n  image: busybox", $"{PodSpecPath}.initContainers[1].name: Duplicate value: \"a\"" },
    };

    [Theory]
    [MemberData(nameof(BadInitContainers))]
    public void Read_BadInitContainer_IsRefusedWithKubernetesMessage(string initContainers, string expected)
    {
        Assert.Equal([expected], Errors(pod: $"initContainers:\n{initContainers}"));
    }

    [Fact]
    public void Read_InitContainersAndSidecar_DecodeWithDefaults()
    {
        var spec = Spec(pod: """
            initContainers:
            - name: setup
              image: busybox
              command: [sh, -c, "echo ready > /work/marker"]
              resources:
                limits: {memory: 64Mi}
            - name: proxy
              image: envoy
              restartPolicy: Always
              ports:
              - containerPort: 9901
              readinessProbe:
                httpGet: {path: /ready, port: 9901}
              lifecycle:
                preStop:
                  sleep: {seconds: 5}
            """);

        var setup = spec.InitContainers[0];
        Assert.Equal(("IfNotPresent", "/dev/termination-log", "File"), (setup.ImagePullPolicy, setup.TerminationMessagePath, setup.TerminationMessagePolicy));
        Assert.Equal("64Mi", setup.Resources.Requests["memory"]);
        Assert.Equal("Always", spec.InitContainers[1].RestartPolicy);
        Assert.Equal(("TCP", 10), (spec.InitContainers[1].Ports[0].Protocol, spec.InitContainers[1].ReadinessProbe.PeriodSeconds));
    }

    [Fact]
    public void Read_InitContainerHostPortAlsoUsedByAnAppContainer_IsValid()
    {
        // Init containers run before the app containers, one at a time.
        Spec("ports:\n- containerPort: 80\n  hostPort: 80", "initContainers:\n- name: setup\n  image: busybox\n  ports: [{containerPort: 80, hostPort: 80}]");
    }

    [Fact]
    public void Read_RestartPolicyOnAnAppContainer_IsForbidden()
    {
        Assert.Equal([$"{ContainerPath}.restartPolicy: Forbidden: may not be set for non-init containers"], Errors("restartPolicy: Always"));
    }

    [Fact]
    public void Read_InitContainerProbe_IsForbiddenAtItsLine()
    {
        var problems = Problems(pod: "initContainers:\n- name: setup\n  image: busybox\n  livenessProbe:\n    exec: {command: [sh]}");

        Assert.Equal([Invalid(20, 9, $"{Init}.livenessProbe: Forbidden: {InitOnly}")], problems);
    }

    [Theory]
    [InlineData("terminationMessagePolicy: Sometimes", "terminationMessagePolicy: Unsupported value: \"Sometimes\": supported values: \"File\", \"FallbackToLogsOnError\"")]
    [InlineData("terminationMessagePath: dev/log", "terminationMessagePath: Invalid value: \"dev/log\": must be an absolute path")]
    public void Read_BadTerminationMessage_IsRefused(string field, string expected)
    {
        Assert.Equal([$"{ContainerPath}.{expected}"], Errors(field));
    }

    [Fact]
    public void Read_TerminationMessageFields_AreKept()
    {
        var container = Spec("terminationMessagePath: /tmp/status\nterminationMessagePolicy: FallbackToLogsOnError").Containers[0];

        Assert.Equal(("/tmp/status", "FallbackToLogsOnError"), (container.TerminationMessagePath, container.TerminationMessagePolicy));
    }
}
