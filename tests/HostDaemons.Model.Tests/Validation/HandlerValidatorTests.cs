using static HostDaemons.Model.Tests.TemplateYaml;

namespace HostDaemons.Model.Tests.Validation;

/// <summary>postStart and preStop hooks, read from a DaemonSet manifest, with Kubernetes' messages.</summary>
public sealed class HandlerValidatorTests
{
    private const string PreStop = ContainerPath + ".lifecycle.preStop";

    public static TheoryData<string, string> BadHooks => new()
    {
        { "{}", $"{PreStop}: Required value: must specify a handler type" },
        { "{exec: {command: [sh]}, httpGet: {port: 80}}", $"{PreStop}.httpGet: Forbidden: may not specify more than 1 handler type" },
        { "{httpGet: {port: 80}, sleep: {seconds: 1}}", $"{PreStop}.sleep: Forbidden: may not specify more than 1 handler type" },
        { "{exec: {}}", $"{PreStop}.exec.command: Required value" },
        {
            "{tcpSocket: {port: 80}}",
            $"{PreStop}.tcpSocket: Forbidden: not supported: Kubernetes keeps tcpSocket in lifecycle hooks for compatibility and never runs it; use exec, httpGet or sleep"
        },
        { "{sleep: {seconds: -1}}", $"{PreStop}.sleep: Invalid value: -1: must be non-negative and less than terminationGracePeriodSeconds (30)" },
        { "{sleep: {seconds: 31}}", $"{PreStop}.sleep: Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)" },
        { "{httpGet: {port: admin}}", $"{PreStop}.httpGet.port: Invalid value: \"admin\": must be a port number or the name of one of the container's ports" },
        { "{httpGet: {port: 80, scheme: FTP}}", $"{PreStop}.httpGet.scheme: Unsupported value: \"FTP\": supported values: \"HTTP\", \"HTTPS\"" },
        { "{httpGet: {port: 0}}", $"{PreStop}.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive" },
    };

    [Theory]
    [MemberData(nameof(BadHooks))]
    public void Read_BadPreStop_IsRefusedWithKubernetesMessage(string hook, string expected)
    {
        Assert.Equal([expected], Errors($"lifecycle:\n  preStop: {hook}"));
    }

    [Fact]
    public void Read_SleepWithinAShorterGracePeriod_IsMeasuredAgainstIt()
    {
        var errors = Errors("lifecycle:\n  postStart: {sleep: {seconds: 11}}", "terminationGracePeriodSeconds: 10");

        Assert.Equal([$"{ContainerPath}.lifecycle.postStart.sleep: Invalid value: 11: must be non-negative and less than terminationGracePeriodSeconds (10)"], errors);
    }

    [Fact]
    public void Read_Hooks_DecodeAndHttpGetIsDefaultedAsForProbes()
    {
        var lifecycle = Spec("""
            ports:
            - name: admin
              containerPort: 8090
            lifecycle:
              postStart:
                exec:
                  command: [sh, -c, "touch /ready"]
              preStop:
                httpGet:
                  port: admin
            """).Containers[0].Lifecycle;

        Assert.Equal(["sh", "-c", "touch /ready"], lifecycle.PostStart.Exec.Command);
        Assert.Equal(("/", "HTTP", "admin"), (lifecycle.PreStop.HttpGet.Path, lifecycle.PreStop.HttpGet.Scheme, lifecycle.PreStop.HttpGet.Port.StringValue));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    public void Read_SleepWithinTheGracePeriod_IsValid(int seconds)
    {
        Assert.Equal(seconds, Spec($"lifecycle:\n  preStop: {{sleep: {{seconds: {seconds}}}}}").Containers[0].Lifecycle.PreStop.Sleep.Seconds);
    }

    [Fact]
    public void Read_TcpSocketHook_IsRefusedAtItsLine()
    {
        var problems = Problems("lifecycle:\n  preStop:\n    tcpSocket:\n      port: 80");

        Assert.StartsWith(Invalid(19, 13, $"{PreStop}.tcpSocket: Forbidden: not supported"), Assert.Single(problems), StringComparison.Ordinal);
    }
}
