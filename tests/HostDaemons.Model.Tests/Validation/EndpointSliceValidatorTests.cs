namespace HostDaemons.Model.Tests.Validation;

public sealed class EndpointSliceValidatorTests
{
    private static string Slice(string body) =>
        $"apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-abcde\n  namespace: default\n{body}";

    [Fact]
    public void Validate_AsTheControllerWritesIt_Valid()
    {
        var yaml = Slice("addressType: IPv4\nendpoints:\n- addresses: [10.0.0.1]\n  conditions: {ready: true, serving: true, terminating: false}\n  nodeName: n1\n"
            + "  targetRef: {kind: Pod, namespace: default, name: web-1}\nports:\n- {name: http, port: 8080, protocol: TCP}\n");

        Assert.Empty(KindYaml.Errors(yaml));
    }

    [Theory]
    [InlineData("endpoints: []\n", "addressType: Required value")]
    [InlineData("addressType: IPv5\n", "addressType: Unsupported value: \"IPv5\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"")]
    [InlineData("addressType: IPv4\nendpoints:\n- addresses: []\n", "endpoints[0].addresses: Required value: must contain at least 1 address")]
    [InlineData("addressType: IPv4\nendpoints:\n- addresses: [\"fd00::1\"]\n", "endpoints[0].addresses[0]: Invalid value: \"fd00::1\": must be a valid IPv4 address")]
    [InlineData("addressType: IPv4\nports:\n- {name: http, port: 80}\n", "ports[0].protocol: Required value")]
    [InlineData("addressType: IPv4\nports:\n- {name: a, port: 80, protocol: TCP}\n- {name: a, port: 81, protocol: TCP}\n", "ports[1].name: Duplicate value: \"a\"")]
    public void Validate_BadSlice_KubernetesMessage(string body, string expected)
    {
        Assert.Equal(expected, Assert.Single(KindYaml.Errors(Slice(body))));
    }
}
