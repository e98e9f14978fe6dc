using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Validation;

public sealed class ServiceValidatorTests
{
    private static string Service(string spec, string name = "web") => $"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n{spec}";

    private const string Ports = "  ports:\n  - port: 80\n";

    [Fact]
    public void ApplyDefaults_PortOnly_AsTheApiServerFillsIt()
    {
        var service = KindYaml.Defaulted<Service>(Service("  selector: {app: web}\n  ports:\n  - port: 80\n  - name: named\n    port: 81\n    targetPort: http\n    protocol: UDP\n"));

        var spec = service.Spec;
        Assert.Equal(("ClusterIP", "None", "Cluster", "SingleStack"), (spec.Type, spec.SessionAffinity, spec.InternalTrafficPolicy, spec.IpFamilyPolicy));
        Assert.Equal(["IPv4"], spec.IpFamilies);
        Assert.Equal(("TCP", 80), (spec.Ports[0].Protocol, spec.Ports[0].TargetPort.IntValue));
        Assert.Equal(("UDP", "http"), (spec.Ports[1].Protocol, spec.Ports[1].TargetPort.StringValue));
        Assert.Empty(spec.ClusterIps);
        Assert.Equal("", spec.ExternalTrafficPolicy);
    }

    [Fact]
    public void ApplyDefaults_HeadlessNodePortAndExternalName_TheirOwnDefaults()
    {
        var headless = KindYaml.Defaulted<Service>(Service("  clusterIP: None\n"));
        var nodePort = KindYaml.Defaulted<Service>(Service("  type: NodePort\n" + Ports));
        var external = KindYaml.Defaulted<Service>(Service("  type: ExternalName\n  externalName: db.example.com\n"));

        Assert.Equal(["None"], headless.Spec.ClusterIps);
        Assert.Equal("Cluster", nodePort.Spec.ExternalTrafficPolicy);
        Assert.Equal(("", "", 0), (external.Spec.InternalTrafficPolicy, external.Spec.IpFamilyPolicy, external.Spec.IpFamilies.Count));
    }

    [Theory]
    [InlineData("  clusterIP: None\n")]
    [InlineData("  type: ExternalName\n  externalName: db.example.com.\n")]
    [InlineData("  clusterIP: 10.96.0.10\n  ports:\n  - {name: dns, port: 53, protocol: UDP}\n  - {name: dns-tcp, port: 53, protocol: TCP}\n")]
    [InlineData("  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8]\n  externalTrafficPolicy: Local\n  ports:\n  - port: 443\n    nodePort: 30443\n    appProtocol: https\n")]
    public void Validate_Valid_NoErrors(string spec)
    {
        Assert.Empty(KindYaml.Errors(Service(spec)));
    }

    [Theory]
    [InlineData("  selector: {app: web}\n", "spec.ports: Required value")]
    [InlineData("  ports:\n  - {port: 0, targetPort: 80}\n", "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive")]
    [InlineData("  ports:\n  - port: 80\n  - port: 81\n    name: b\n", "spec.ports[0].name: Required value")]
    [InlineData("  ports:\n  - {name: a, port: 80}\n  - {name: a, port: 81}\n", "spec.ports[1].name: Duplicate value: \"a\"")]
    [InlineData("  ports:\n  - {name: Web, port: 80}\n",
        "spec.ports[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")]
    [InlineData("  ports:\n  - {port: 80, protocol: HTTP}\n", "spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"")]
    [InlineData("  ports:\n  - {port: 80, targetPort: 70000}\n", "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive")]
    [InlineData("  ports:\n  - {port: 80, targetPort: metrics-endpoint}\n", "spec.ports[0].targetPort: Invalid value: \"metrics-endpoint\": must be no more than 15 characters")]
    [InlineData("  ports:\n  - {port: 80, targetPort: a--b}\n", "spec.ports[0].targetPort: Invalid value: \"a--b\": must not contain consecutive hyphens")]
    [InlineData("  ports:\n  - {port: 80, targetPort: \"8080\"}\n", "spec.ports[0].targetPort: Invalid value: \"8080\": must contain at least one letter (a-z)")]
    [InlineData("  ports:\n  - {port: 80, nodePort: 30080}\n", "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'")]
    [InlineData("  ports:\n  - {name: a, port: 80}\n  - {name: b, port: 80}\n",
        "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}")]
    [InlineData("  type: Headless\n" + Ports, "spec.type: Unsupported value: \"Headless\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"")]
    [InlineData("  clusterIP: 10.96.0.300\n" + Ports, "spec.clusterIP: Invalid value: \"10.96.0.300\": must be empty, 'None', or a valid IP address")]
    [InlineData("  type: NodePort\n  clusterIP: None\n" + Ports, "spec.clusterIP: Invalid value: \"None\": may not be set to 'None' for NodePort services")]
    [InlineData("  type: ExternalName\n", "spec.externalName: Required value")]
    [InlineData("  type: ExternalName\n  externalName: db\n  clusterIP: None\n", "spec.clusterIPs: Forbidden: may not be set for ExternalName services")]
    [InlineData("  sessionAffinity: Sticky\n" + Ports, "spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"")]
    [InlineData("  externalTrafficPolicy: Local\n" + Ports, "spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services")]
    [InlineData("  internalTrafficPolicy: Node\n" + Ports, "spec.internalTrafficPolicy: Unsupported value: \"Node\": supported values: \"Cluster\", \"Local\"")]
    [InlineData("  externalIPs: [example.com]\n" + Ports, "spec.externalIPs[0]: Invalid value: \"example.com\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    [InlineData("  loadBalancerSourceRanges: [10.0.0.0/8]\n" + Ports, "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'")]
    [InlineData("  selector: {\"app/\": web}\n" + Ports, "spec.selector: Invalid value: \"app/\": name part must be non-empty")]
    public void Validate_BadSpec_KubernetesMessage(string spec, string expected)
    {
        Assert.Equal(expected, Assert.Single(KindYaml.Errors(Service(spec))));
    }

    [Theory]
    [InlineData("1web", "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")]
    [InlineData("web.example", "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")]
    public void Validate_NameNotADns1035Label_Invalid(string name, string message)
    {
        Assert.Equal($"metadata.name: Invalid value: \"{name}\": {message}", Assert.Single(KindYaml.Errors(Service(Ports, name))));
    }

    [Fact]
    public void ValidateUpdate_ClusterIPChanged_Immutable()
    {
        var errors = KindYaml.UpdateErrors(Service("  clusterIP: None\n" + Ports), Service("  clusterIP: 10.96.0.5\n" + Ports));

        Assert.Equal("spec.clusterIP: Invalid value: \"10.96.0.5\": field is immutable", Assert.Single(errors));
    }

    [Fact]
    public void ValidateUpdate_PortsAndSelectorChange_Allowed()
    {
        Assert.Empty(KindYaml.UpdateErrors(Service("  clusterIP: None\n" + Ports), Service("  clusterIP: None\n  selector: {a: b}\n  ports:\n  - port: 81\n")));
    }
}
