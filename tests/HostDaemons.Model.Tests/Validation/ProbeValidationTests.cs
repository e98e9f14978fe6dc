using static HostDaemons.Model.Tests.TemplateYaml;

namespace HostDaemons.Model.Tests.Validation;

/// <summary>Readiness, liveness and startup probes, read from a DaemonSet manifest (the probe key is on line 17).</summary>
public sealed class ProbeValidationTests
{
    [Theory]
    [InlineData("readinessProbe", "")]
    [InlineData("livenessProbe", "terminationGracePeriodSeconds: 10")]
    [InlineData("startupProbe", "terminationGracePeriodSeconds: 10")]
    public void Read_ProbeWithOneHandler_IsValid(string probe, string extra)
    {
        var spec = Spec($"""
            ports:
            - name: http
              containerPort: 8080
            {probe}:
              httpGet:
                port: http
                path: /healthz
                scheme: HTTPS
                httpHeaders:
                - name: X-Probe
                  value: "1"
              initialDelaySeconds: 5
              failureThreshold: 6
              {extra}
            """);

        var container = spec.Containers[0];
        var read = probe switch
        {
            "readinessProbe" => container.ReadinessProbe,
            "livenessProbe" => container.LivenessProbe,
            _ => container.StartupProbe,
        };
        Assert.Equal("http", read.HttpGet.Port.StringValue);
        Assert.Equal("/healthz", read.HttpGet.Path);
        Assert.Equal(6, read.FailureThreshold);
    }

    [Theory]
    [InlineData("readinessProbe")]
    [InlineData("livenessProbe")]
    [InlineData("startupProbe")]
    public void Read_ProbeWithoutHandler_MustSpecifyOne(string probe)
    {
        var problems = Problems($"""
            {probe}:
              periodSeconds: 5
            """);

        Assert.Equal([Invalid(17, 9, $"{ContainerPath}.{probe}: Required value: must specify a handler type")], problems);
    }

    [Theory]
    [InlineData("exec: {command: [true]}", "tcpSocket: {port: 80}")]
    [InlineData("httpGet: {port: 80}", "tcpSocket: {port: 80}")]
    [InlineData("exec: {command: [true]}", "httpGet: {port: 80}")]
    public void Read_ProbeWithTwoHandlers_IsForbidden(string first, string second)
    {
        var problems = Problems($"""
            livenessProbe:
              {first}
              {second}
            """);

        var field = second[..second.IndexOf(':', StringComparison.Ordinal)];
        Assert.Equal([Invalid(19, 11, $"{ContainerPath}.livenessProbe.{field}: Forbidden: may not specify more than 1 handler type")], problems);
    }

    [Fact]
    public void Read_ProbeWithThreeHandlers_IsForbiddenAtEachExtraHandler()
    {
        var problems = Problems("""
            livenessProbe:
              exec: {command: [true]}
              httpGet: {port: 80}
              tcpSocket: {port: 80}
            """);

        Assert.Equal(
            [
                Invalid(19, 11, $"{ContainerPath}.livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type"),
                Invalid(20, 11, $"{ContainerPath}.livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"),
            ],
            problems);
    }

    [Theory]
    [InlineData("exec: {}", 11)]
    [InlineData("exec: {command: []}", 18)]
    public void Read_ExecWithoutCommand_IsRequired(string exec, int column)
    {
        var problems = Problems($"""
            readinessProbe:
              {exec}
            """);

        Assert.Equal([Invalid(18, column, $"{ContainerPath}.readinessProbe.exec.command: Required value")], problems);
    }

    [Theory]
    [InlineData("httpGet")]
    [InlineData("tcpSocket")]
    public void Read_HandlerWithoutPort_IsRequired(string handler)
    {
        var problems = Problems($"""
            readinessProbe:
              {handler}:
                host: 127.0.0.1
            """);

        Assert.Equal([Invalid(18, 11, $"{ContainerPath}.readinessProbe.{handler}.port: Required value")], problems);
    }

    [Theory]
    [InlineData("httpGet", 0)]
    [InlineData("httpGet", 65536)]
    [InlineData("tcpSocket", -1)]
    [InlineData("tcpSocket", 70000)]
    public void Read_PortNumberOutOfRange_IsInvalid(string handler, int port)
    {
        var problems = Problems($"""
            readinessProbe:
              {handler}:
                port: {port}
            """);

        Assert.Equal([Invalid(19, 13, $"{ContainerPath}.readinessProbe.{handler}.port: Invalid value: {port}: must be between 1 and 65535, inclusive")], problems);
    }

    [Theory]
    [InlineData("httpGet", 1)]
    [InlineData("tcpSocket", 65535)]
    public void Read_PortNumberInRange_IsValid(string handler, int port)
    {
        var spec = Spec($"""
            readinessProbe:
              {handler}:
                port: {port}
            """);

        var probe = spec.Containers[0].ReadinessProbe;
        Assert.Equal(port, (probe.HttpGet?.Port ?? probe.TcpSocket.Port).IntValue);
    }

    [Theory]
    [InlineData("httpGet")]
    [InlineData("tcpSocket")]
    public void Read_NamedPortOfTheContainer_IsValid(string handler)
    {
        var spec = Spec($"""
            ports:
            - name: metrics
              containerPort: 9100
            livenessProbe:
              {handler}:
                port: metrics
            """);

        var probe = spec.Containers[0].LivenessProbe;
        Assert.Equal("metrics", (probe.HttpGet?.Port ?? probe.TcpSocket.Port).StringValue);
    }

    [Theory]
    [InlineData("httpGet", "http")]
    [InlineData("tcpSocket", "metrics")]
    [InlineData("httpGet", "\"8080\"")]
    public void Read_NameThatIsNotAContainerPort_IsInvalid(string handler, string port)
    {
        var problems = Problems($"""
            ports:
            - name: web
              containerPort: 8080
            livenessProbe:
              {handler}:
                port: {port}
            """);

        Assert.Equal([Invalid(22, 13, $"{ContainerPath}.livenessProbe.{handler}.port: Invalid value: \"{port.Trim('"')}\": must be a port number or the name of one of the container's ports")], problems);
    }

    [Fact]
    public void Read_NamedPortOfAnotherContainer_IsInvalid()
    {
        var problems = Problems(
            """
            readinessProbe:
              tcpSocket:
                port: metrics
            """,
            """
            - name: exporter
              image: busybox
              ports:
              - name: metrics
                containerPort: 9100
            """);

        Assert.Equal([Invalid(19, 13, $"{ContainerPath}.readinessProbe.tcpSocket.port: Invalid value: \"metrics\": must be a port number or the name of one of the container's ports")], problems);
    }

    [Fact]
    public void Read_EmptyPortName_IsInvalid()
    {
        var problems = Problems("""
            ports:
            - containerPort: 8080
            readinessProbe:
              httpGet:
                port: ""
            """);

        var problem = Assert.Single(problems);
        Assert.StartsWith(Invalid(21, 13, $"{ContainerPath}.readinessProbe.httpGet.port: Required value"), problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https")]
    [InlineData("TCP")]
    [InlineData("http")]
    public void Read_UnknownScheme_ListsSupportedValues(string scheme)
    {
        var problems = Problems($"""
            readinessProbe:
              httpGet:
                port: 80
                scheme: {scheme}
            """);

        Assert.Equal([Invalid(20, 13, $"{ContainerPath}.readinessProbe.httpGet.scheme: Unsupported value: \"{scheme}\": supported values: \"HTTP\", \"HTTPS\"")], problems);
    }

    [Fact]
    public void Read_HeaderWithoutName_IsRequired()
    {
        var problems = Problems("""
            readinessProbe:
              httpGet:
                port: 80
                httpHeaders:
                - name: X-Ok
                  value: a
                - value: b
            """);

        Assert.Equal([Invalid(23, 15, $"{ContainerPath}.readinessProbe.httpGet.httpHeaders[1].name: Required value")], problems);
    }

    [Fact]
    public void Read_HeaderNameNotAToken_IsInvalid()
    {
        var problems = Problems("""
            readinessProbe:
              httpGet:
                port: 80
                httpHeaders:
                - name: X Probe
                  value: a
            """);

        var problem = Assert.Single(problems);
        Assert.StartsWith(Invalid(21, 15, $"{ContainerPath}.readinessProbe.httpGet.httpHeaders[0].name: Invalid value: \"X Probe\""), problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("initialDelaySeconds")]
    [InlineData("timeoutSeconds")]
    [InlineData("periodSeconds")]
    [InlineData("successThreshold")]
    [InlineData("failureThreshold")]
    public void Read_NegativeTiming_MustNotBeNegative(string field)
    {
        var problems = Problems($"""
            readinessProbe:
              exec: {"{"}command: [true]{"}"}
              {field}: -1
            """);

        Assert.Equal([Invalid(19, 11, $"{ContainerPath}.readinessProbe.{field}: Invalid value: -1: must be greater than or equal to 0")], problems);
    }

    [Fact]
    public void Read_ZeroTimings_AreDefaultedNotRejected()
    {
        var probe = Spec("""
            readinessProbe:
              exec: {command: [true]}
              initialDelaySeconds: 0
              timeoutSeconds: 0
              periodSeconds: 0
              successThreshold: 0
              failureThreshold: 0
            """).Containers[0].ReadinessProbe;

        Assert.Equal((0, 1, 10, 1, 3), (probe.InitialDelaySeconds, probe.TimeoutSeconds, probe.PeriodSeconds, probe.SuccessThreshold, probe.FailureThreshold));
    }

    [Theory]
    [InlineData("livenessProbe")]
    [InlineData("startupProbe")]
    public void Read_SuccessThresholdAboveOne_MustBeOneForLivenessAndStartup(string probe)
    {
        var problems = Problems($"""
            {probe}:
              tcpSocket: {"{"}port: 80{"}"}
              successThreshold: 2
            """);

        Assert.Equal([Invalid(19, 11, $"{ContainerPath}.{probe}.successThreshold: Invalid value: 2: must be 1")], problems);
    }

    [Fact]
    public void Read_ReadinessSuccessThresholdAboveOne_IsValid()
    {
        var probe = Spec("""
            readinessProbe:
              tcpSocket: {port: 80}
              successThreshold: 3
            """).Containers[0].ReadinessProbe;

        Assert.Equal(3, probe.SuccessThreshold);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Read_ProbeGracePeriodBelowOne_MustBePositive(int seconds)
    {
        var problems = Problems($"""
            livenessProbe:
              tcpSocket: {"{"}port: 80{"}"}
              terminationGracePeriodSeconds: {seconds}
            """);

        Assert.Equal([Invalid(19, 11, $"{ContainerPath}.livenessProbe.terminationGracePeriodSeconds: Invalid value: {seconds}: must be greater than 0")], problems);
    }

    [Fact]
    public void Read_ReadinessProbeGracePeriod_IsInvalid()
    {
        var problems = Problems("""
            readinessProbe:
              tcpSocket: {port: 80}
              terminationGracePeriodSeconds: 5
            """);

        Assert.Equal([Invalid(19, 11, $"{ContainerPath}.readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes")], problems);
    }

    [Fact]
    public void Read_ProblemsInSeveralProbes_AllReportedInLineOrder()
    {
        var problems = Problems("""
            readinessProbe:
              exec: {}
            livenessProbe:
              httpGet: {port: 0}
            startupProbe:
              periodSeconds: 1
            """);

        Assert.Equal(
            [
                Invalid(18, 11, $"{ContainerPath}.readinessProbe.exec.command: Required value"),
                Invalid(20, 21, $"{ContainerPath}.livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive"),
                Invalid(21, 9, $"{ContainerPath}.startupProbe: Required value: must specify a handler type"),
            ],
            problems);
    }
}
