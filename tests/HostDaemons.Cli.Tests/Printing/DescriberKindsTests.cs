using Google.Protobuf;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests.Printing;

/// <summary>kubectl describe's layout for ConfigMaps, ServiceAccounts, Services, EndpointSlices, RBAC objects and PriorityClasses.</summary>
public sealed class DescriberKindsTests
{
    private static readonly Describer s_describer = new(TestPods.Now, TimeZoneInfo.Utc);

    private static ObjectMeta Meta(string name, string ns = "default", string uid = "") => new() { Name = name, Namespace = ns, Uid = uid };

    [Fact]
    public void ConfigMap_DataAndBinaryData_KubectlLayoutKeysSorted()
    {
        var cm = new ConfigMap
        {
            Metadata = Meta("fluent-bit-config", "logging"),
            Data = { ["parsers.conf"] = "[PARSER]\n    Name json", ["a.conf"] = "x" },
            BinaryData = { ["logo.png"] = ByteString.CopyFrom(new byte[3]) },
        };
        cm.Metadata.Labels["k8s-app"] = "fluent-bit";

        Assert.Equal(
            "Name:         fluent-bit-config\n" +
            "Namespace:    logging\n" +
            "Labels:       k8s-app=fluent-bit\n" +
            "Annotations:  <none>\n" +
            "\n" +
            "Data\n" +
            "====\n" +
            "a.conf:\n" +
            "----\n" +
            "x\n" +
            "parsers.conf:\n" +
            "----\n" +
            "[PARSER]\n" +
            "    Name json\n" +
            "\n" +
            "BinaryData\n" +
            "====\n" +
            "logo.png: 3 bytes\n" +
            "\n" +
            "Events:  <none>\n",
            s_describer.ConfigMap(cm, []));
    }

    [Fact]
    public void ServiceAccount_SecretsMissingAndPresent_NotFoundMarked()
    {
        var account = new ServiceAccount
        {
            Metadata = Meta("fluentd", "kube-system"),
            ImagePullSecrets = { new LocalObjectReference { Name = "regcred" }, new LocalObjectReference { Name = "gone" } },
        };
        var secrets = new[] { new Secret { Metadata = Meta("regcred", "kube-system") } };

        Assert.Equal(
            "Name:                fluentd\n" +
            "Namespace:           kube-system\n" +
            "Labels:              <none>\n" +
            "Annotations:         <none>\n" +
            "Image pull secrets:  regcred\n" +
            "                     gone (not found)\n" +
            "Mountable secrets:   <none>\n" +
            "Tokens:              <none>\n" +
            "Events:              <none>\n",
            s_describer.ServiceAccount(account, secrets, []));
    }

    [Fact]
    public void Service_WithSlices_EndpointsPerPortReadyOnly()
    {
        var service = new Service
        {
            Metadata = Meta("web"),
            Spec = new ServiceSpec
            {
                Type = "ClusterIP",
                ClusterIp = "None",
                ClusterIps = { "None" },
                IpFamilies = { "IPv4" },
                IpFamilyPolicy = "SingleStack",
                SessionAffinity = "None",
                InternalTrafficPolicy = "Cluster",
                Selector = { ["app"] = "web" },
                Ports =
                {
                    new ServicePort { Name = "http", Port = 80, Protocol = "TCP", TargetPort = new IntOrString { StringValue = "http" } },
                    new ServicePort { Name = "metrics", Port = 9090, Protocol = "TCP", TargetPort = new IntOrString { IntValue = 9090 } },
                },
            },
        };
        var slice = new EndpointSlice
        {
            Metadata = Meta("web-x1"),
            AddressType = "IPv4",
            Ports = { new EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }, new EndpointPort { Name = "metrics", Port = 9090, Protocol = "TCP" } },
            Endpoints =
            {
                new Endpoint { Addresses = { "10.0.0.1" }, Conditions = new EndpointConditions { Ready = true } },
                new Endpoint { Addresses = { "10.0.0.2" }, Conditions = new EndpointConditions { Ready = false } },
            },
        };

        Assert.Equal(
            "Name:                     web\n" +
            "Namespace:                default\n" +
            "Labels:                   <none>\n" +
            "Annotations:              <none>\n" +
            "Selector:                 app=web\n" +
            "Type:                     ClusterIP\n" +
            "IP Family Policy:         SingleStack\n" +
            "IP Families:              IPv4\n" +
            "IP:                       None\n" +
            "IPs:                      None\n" +
            "Port:                     http  80/TCP\n" +
            "TargetPort:               http/TCP\n" +
            "Endpoints:                10.0.0.1:8080\n" +
            "Port:                     metrics  9090/TCP\n" +
            "TargetPort:               9090/TCP\n" +
            "Endpoints:                10.0.0.1:9090\n" +
            "Session Affinity:         None\n" +
            "Internal Traffic Policy:  Cluster\n" +
            "Events:                   <none>\n",
            s_describer.Service(service, [slice], []));
    }

    [Fact]
    public void Service_WithoutSlices_EndpointsNone()
    {
        var service = new Service { Metadata = Meta("db"), Spec = new ServiceSpec { Type = "ClusterIP", Ports = { new ServicePort { Port = 5432, Protocol = "TCP", TargetPort = new IntOrString { IntValue = 5432 } } } } };

        Assert.Contains("Port:              <unset>  5432/TCP\n", s_describer.Service(service, [], []), StringComparison.Ordinal);
        Assert.Contains("Endpoints:         <none>\n", s_describer.Service(service, [], []), StringComparison.Ordinal);
    }

    [Fact]
    public void EndpointSlice_Endpoints_KubectlLayout()
    {
        var slice = new EndpointSlice
        {
            Metadata = Meta("web-x1"),
            AddressType = "IPv4",
            Ports = { new EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" } },
            Endpoints =
            {
                new Endpoint
                {
                    Addresses = { "10.0.0.1" },
                    Conditions = new EndpointConditions { Ready = true },
                    NodeName = "n1",
                    TargetRef = new EventObjectReference { Kind = "Pod", Name = "web-a" },
                },
            },
        };

        Assert.Equal(
            "Name:         web-x1\n" +
            "Namespace:    default\n" +
            "Labels:       <none>\n" +
            "Annotations:  <none>\n" +
            "AddressType:  IPv4\n" +
            "Ports:\n" +
            "  Name  Port  Protocol\n" +
            "  ----  ----  --------\n" +
            "  http  8080  TCP\n" +
            "Endpoints:\n" +
            "  - Addresses:  10.0.0.1\n" +
            "    Conditions:\n" +
            "      Ready:    true\n" +
            "    Hostname:   <unset>\n" +
            "    TargetRef:  Pod/web-a\n" +
            "    NodeName:   n1\n" +
            "    Zone:       <unset>\n" +
            "Events:         <none>\n",
            s_describer.EndpointSlice(slice, []));
    }

    [Fact]
    public void ClusterRole_Rules_BrokenDownCompactedAndSortedByTheirGoForm()
    {
        var role = new ClusterRole
        {
            Metadata = Meta("fluent-bit-read", ""),
            Rules =
            {
                new PolicyRule { ApiGroups = { "" }, Resources = { "pods", "namespaces" }, Verbs = { "get", "list", "watch" } },
                new PolicyRule { ApiGroups = { "apps" }, Resources = { "daemonsets" }, ResourceNames = { "a", "b" }, Verbs = { "get" } },
                new PolicyRule { NonResourceUrls = { "/metrics" }, Verbs = { "get" } },
            },
        };

        Assert.Equal(
            "Name:         fluent-bit-read\n" +
            "Labels:       <none>\n" +
            "Annotations:  <none>\n" +
            "PolicyRule:\n" +
            "  Resources        Non-Resource URLs  Resource Names  Verbs\n" +
            "  ---------        -----------------  --------------  -----\n" +
            "  namespaces       []                 []              [get list watch]\n" +
            "  pods             []                 []              [get list watch]\n" +
            "                   [/metrics]         []              [get]\n" +
            "  daemonsets.apps  []                 [a]             [get]\n" +
            "  daemonsets.apps  []                 [b]             [get]\n",
            Describer.ClusterRole(role));
    }

    [Fact]
    public void ClusterRoleBinding_RoleAndSubjects_KubectlLayout()
    {
        var binding = new ClusterRoleBinding
        {
            Metadata = Meta("fluentd-account", ""),
            RoleRef = new RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "view" },
            Subjects = { new Subject { Kind = "ServiceAccount", Name = "fluentd-account", Namespace = "kube-system" } },
        };

        Assert.Equal(
            "Name:         fluentd-account\n" +
            "Labels:       <none>\n" +
            "Annotations:  <none>\n" +
            "Role:\n" +
            "  Kind:  ClusterRole\n" +
            "  Name:  view\n" +
            "Subjects:\n" +
            "  Kind            Name             Namespace\n" +
            "  ----            ----             ---------\n" +
            "  ServiceAccount  fluentd-account  kube-system\n",
            Describer.ClusterRoleBinding(binding));
    }

    [Fact]
    public void PriorityClass_KubectlLayout()
    {
        var value = new PriorityClass { Metadata = Meta("system-node-critical", ""), Value = 2000001000, PreemptionPolicy = "PreemptLowerPriority", Description = "Node critical." };

        Assert.Equal(
            "Name:              system-node-critical\n" +
            "Value:             2000001000\n" +
            "GlobalDefault:     false\n" +
            "PreemptionPolicy:  PreemptLowerPriority\n" +
            "Description:       Node critical.\n" +
            "Annotations:       <none>\n" +
            "Events:            <none>\n",
            s_describer.PriorityClass(value, []));
    }
}
