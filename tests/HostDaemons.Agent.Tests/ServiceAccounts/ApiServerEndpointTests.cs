using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.ServiceAccounts;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.ServiceAccounts;

public sealed class ApiServerEndpointTests
{
    [Theory]
    [InlineData("https://10.0.0.1:7443", "10.0.0.1", 7443)]
    [InlineData("10.0.0.1:7443", "10.0.0.1", 7443)]
    [InlineData("cp.example.com", "cp.example.com", 443)]
    [InlineData("[fd00::1]:6443", "fd00::1", 6443)]
    [InlineData("http://127.0.0.1:7080", "127.0.0.1", 7080)]
    public void TryParse_UrlOrHostPort(string text, string host, int port)
    {
        Assert.True(ApiServerEndpoint.TryParse(text, out var endpoint));
        Assert.Equal(new ApiServerEndpoint(host, port), endpoint);
    }

    [Theory]
    [InlineData("https://10.0.0.1:7443/api")]
    [InlineData("ftp://10.0.0.1")]
    [InlineData("10.0.0.1:port")]
    [InlineData("")]
    public void TryParse_NotAnAddress_Refused(string text) => Assert.False(ApiServerEndpoint.TryParse(text, out _));

    [Fact]
    public void Variables_TheKubeletsForTheKubernetesService()
    {
        Assert.Equal(
            [
                ("KUBERNETES_SERVICE_HOST", "fd00::1"), ("KUBERNETES_SERVICE_PORT", "6443"), ("KUBERNETES_SERVICE_PORT_HTTPS", "6443"),
                ("KUBERNETES_PORT", "tcp://[fd00::1]:6443"), ("KUBERNETES_PORT_6443_TCP", "tcp://[fd00::1]:6443"), ("KUBERNETES_PORT_6443_TCP_PROTO", "tcp"),
                ("KUBERNETES_PORT_6443_TCP_PORT", "6443"), ("KUBERNETES_PORT_6443_TCP_ADDR", "fd00::1"),
            ],
            new ApiServerEndpoint("fd00::1", 6443).Variables());
    }

    [Fact]
    public void Resolve_ServiceVariablesAfterTheContainersOwn_WhichWinAndExpandThem()
    {
        var node = NodeContext.For(TestPods.Node) with { ApiServer = new ApiServerEndpoint("10.0.0.1", 7443) };
        var container = TestPods.Container();
        container.Env.Add(new EnvVar { Name = "KUBERNETES_SERVICE_PORT", Value = "443" });
        container.Env.Add(new EnvVar { Name = "API", Value = "https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)" });
        var pod = TestPods.Pod(containers: [container]);

        var resolved = EnvironmentBuilder.Resolve(pod, container, node, Agent.ControlPlane.ReferencedObjects.None, new NodeAllocatable(1000, 1L << 30, 1L << 30));
        var declared = EnvironmentBuilder.Declared(pod, container, node);

        Assert.Equal(["KUBERNETES_SERVICE_PORT=443", "API=https://10.0.0.1:443", "KUBERNETES_SERVICE_HOST=10.0.0.1"], resolved.Variables.Take(3));
        Assert.DoesNotContain("KUBERNETES_SERVICE_PORT=7443", resolved.Variables);
        Assert.Contains("KUBERNETES_SERVICE_PORT_HTTPS=7443", resolved.Variables);
        Assert.Equal(2, declared.Variables.Count);
    }
}
