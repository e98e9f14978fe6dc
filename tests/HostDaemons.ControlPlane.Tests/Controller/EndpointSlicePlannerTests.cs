using Google.Protobuf.WellKnownTypes;
using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class EndpointSlicePlannerTests
{
    private int _names;

    /// <summary>A Service selecting app=web, defaulted as the API stores it.</summary>
    internal static Service WebService(bool headless = false, bool publishNotReady = false, params ServicePort[] ports)
    {
        var service = new Service
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "default", Uid = "svc-uid", Labels = { ["team"] = "a" } },
            Spec = new ServiceSpec { Selector = { ["app"] = "web" }, ClusterIp = headless ? "None" : "", PublishNotReadyAddresses = publishNotReady },
        };
        service.Spec.Ports.Add(ports.Length > 0 ? ports : [new ServicePort { Name = "http", Port = 80, TargetPort = new IntOrString { StringValue = "http" } }]);
        ObjectValidator.ApplyDefaults(service);
        return service;
    }

    /// <summary>A pod of app=web on a node, with an address, ready or not, and a container port named http.</summary>
    internal static Pod WebPod(string name, string ip, bool ready = true, string node = "n1", int httpPort = 8080)
    {
        var pod = Pod(name, node).WithLabels("app=web");
        pod.Metadata.Uid = "uid-" + name;
        pod.Spec.Containers[0].Ports.Add(new ContainerPort { Name = "http", ContainerPort_ = httpPort });
        pod.Status = new PodStatus { Phase = "Running", PodIp = ip, HostIp = "192.168.1.1" };
        pod.Status.Conditions.Add(new PodCondition { Type = "Ready", Status = ready ? "True" : "False" });
        return pod;
    }

    private EndpointSlicePlan Plan(Service? service, IEnumerable<Pod> pods, IReadOnlyList<EndpointSlice>? existing = null, Func<string, Node?>? node = null) =>
        EndpointSlicePlanner.Plan(service, pods, node ?? (_ => null), existing ?? [], () => $"web-{++_names}");

    [Fact]
    public void Plan_ReadyAndNotReadyPods_OneSliceWithEndpointsAsKubernetesWritesThem()
    {
        var plan = Plan(WebService(), [WebPod("web-b", "10.0.0.2", ready: false), WebPod("web-a", "10.0.0.1")]);

        var slice = Assert.Single(plan.Creates);
        Assert.Empty(plan.Updates);
        Assert.Empty(plan.Deletes);
        Assert.Equal(("web-1", "web-", "default", "IPv4"), (slice.Metadata.Name, slice.Metadata.GenerateName, slice.Metadata.Namespace, slice.AddressType));
        Assert.Equal(new Dictionary<string, string>
        {
            ["team"] = "a",
            ["kubernetes.io/service-name"] = "web",
            ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io",
        }, slice.Metadata.Labels);
        var owner = Assert.Single(slice.Metadata.OwnerReferences);
        Assert.Equal(("v1", "Service", "web", "svc-uid", true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        var port = Assert.Single(slice.Ports);
        Assert.Equal(("http", "TCP", 8080), (port.Name, port.Protocol, port.Port));
        Assert.Equal(["web-a", "web-b"], slice.Endpoints.Select(e => e.TargetRef.Name));
        var (ready, notReady) = (slice.Endpoints[0], slice.Endpoints[1]);
        Assert.Equal(["10.0.0.1"], ready.Addresses);
        Assert.Equal((true, true, false), (ready.Conditions.Ready, ready.Conditions.Serving, ready.Conditions.Terminating));
        Assert.Equal((false, false, false), (notReady.Conditions.Ready, notReady.Conditions.Serving, notReady.Conditions.Terminating));
        Assert.Equal(("n1", "Pod", "default", "uid-web-a"), (ready.NodeName, ready.TargetRef.Kind, ready.TargetRef.Namespace, ready.TargetRef.Uid));
        Assert.Empty(EndpointSliceValidator.Validate(slice));
    }

    [Fact]
    public void Plan_PublishNotReadyAddresses_NotReadyPodIsReady()
    {
        var slice = Assert.Single(Plan(WebService(publishNotReady: true), [WebPod("web-a", "10.0.0.1", ready: false)]).Creates);

        var conditions = Assert.Single(slice.Endpoints).Conditions;
        Assert.Equal((true, false), (conditions.Ready, conditions.Serving));
    }

    [Fact]
    public void Plan_TerminatingReadyPod_ServingButNotReady()
    {
        var pod = WebPod("web-a", "10.0.0.1");
        pod.Metadata.DeletionTimestamp = Timestamp.FromDateTimeOffset(Epoch);

        var conditions = Assert.Single(Assert.Single(Plan(WebService(), [pod]).Creates).Endpoints).Conditions;

        Assert.Equal((false, true, true), (conditions.Ready, conditions.Serving, conditions.Terminating));
    }

    [Fact]
    public void Plan_PodsThatCannotServe_LeftOut()
    {
        var finished = WebPod("done", "10.0.0.3");
        finished.Status.Phase = "Succeeded";
        var other = WebPod("other", "10.0.0.4");
        other.Metadata.Labels["app"] = "db";
        var elsewhere = WebPod("elsewhere", "10.0.0.5");
        elsewhere.Metadata.Namespace = "prod";

        var slice = Assert.Single(Plan(WebService(), [WebPod("no-ip", ""), WebPod("v6", "fd00::1"), finished, other, elsewhere]).Creates);

        Assert.Empty(slice.Endpoints);
        Assert.Empty(slice.Ports);
    }

    [Fact]
    public void Plan_HostNetworkPodWithoutPodIP_ItsNodeAddressAndZone()
    {
        var pod = WebPod("web-a", "");
        pod.Spec.HostNetwork = true;
        var node = Node("n1", Labels("topology.kubernetes.io/zone=rack-1"));

        var endpoint = Assert.Single(Assert.Single(Plan(WebService(), [pod], node: n => n == "n1" ? node : null).Creates).Endpoints);

        Assert.Equal(["192.168.1.1"], endpoint.Addresses);
        Assert.Equal("rack-1", endpoint.Zone);
    }

    [Fact]
    public void Plan_NamedTargetPortResolvedPerPod_OneSlicePerPortMapping()
    {
        var pods = new[] { WebPod("a", "10.0.0.1", httpPort: 8080), WebPod("b", "10.0.0.2", httpPort: 9090), WebPod("c", "10.0.0.3", httpPort: 8080) };
        var service = WebService(ports: [
            new ServicePort { Name = "http", Port = 80, TargetPort = new IntOrString { StringValue = "http" } },
            new ServicePort { Name = "admin", Port = 81, TargetPort = new IntOrString { IntValue = 7070 } },
        ]);

        var slices = Plan(service, pods).Creates;

        Assert.Equal(2, slices.Count);
        var by8080 = Assert.Single(slices, s => s.Ports.Any(p => p.Port == 8080));
        var by9090 = Assert.Single(slices, s => s.Ports.Any(p => p.Port == 9090));
        Assert.Equal(["a", "c"], by8080.Endpoints.Select(e => e.TargetRef.Name));
        Assert.Equal(["b"], by9090.Endpoints.Select(e => e.TargetRef.Name));
        Assert.Equal([("http", 8080), ("admin", 7070)], by8080.Ports.Select(p => (p.Name, p.Port)));
    }

    [Fact]
    public void Plan_NamedPortThePodLacks_EndpointWithoutThatPort()
    {
        var pod = WebPod("a", "10.0.0.1");
        pod.Spec.Containers[0].Ports.Clear();

        var slice = Assert.Single(Plan(WebService(), [pod]).Creates);

        Assert.Empty(slice.Ports);
        Assert.Single(slice.Endpoints);
    }

    [Fact]
    public void Plan_HeadlessServiceWithoutPorts_AddressesOnlyAndHeadlessLabel()
    {
        var service = WebService(headless: true);
        service.Spec.Ports.Clear();

        var slice = Assert.Single(Plan(service, [WebPod("a", "10.0.0.1")]).Creates);

        Assert.Empty(slice.Ports);
        Assert.Equal("", slice.Metadata.Labels["service.kubernetes.io/headless"]);
    }

    [Fact]
    public void Plan_MoreThanOneHundredEndpoints_SplitIntoSlices()
    {
        var pods = Enumerable.Range(0, 250).Select(i => WebPod($"web-{i:000}", $"10.0.{i / 200}.{i % 200 + 1}"));

        var slices = Plan(WebService(), pods).Creates;

        Assert.Equal([100, 100, 50], slices.Select(s => s.Endpoints.Count));
    }

    [Fact]
    public void Plan_ExistingSliceUpToDate_NothingWritten()
    {
        var pods = new[] { WebPod("a", "10.0.0.1") };
        var existing = WithIdentity(Assert.Single(Plan(WebService(), pods).Creates));

        Assert.True(Plan(WebService(), pods, [existing]).IsEmpty);
    }

    [Fact]
    public void Plan_PodNoLongerReady_UpdatesTheSameSlice()
    {
        var existing = WithIdentity(Assert.Single(Plan(WebService(), [WebPod("a", "10.0.0.1")]).Creates));

        var plan = Plan(WebService(), [WebPod("a", "10.0.0.1", ready: false)], [existing]);

        var updated = Assert.Single(plan.Updates);
        Assert.Empty(plan.Creates);
        Assert.Equal((existing.Metadata.Name, existing.Metadata.Uid, existing.Metadata.ResourceVersion), (updated.Metadata.Name, updated.Metadata.Uid, updated.Metadata.ResourceVersion));
        Assert.False(Assert.Single(updated.Endpoints).Conditions.Ready);
    }

    [Fact]
    public void Plan_PortMappingChanged_NewSliceAndTheOldOneDeleted()
    {
        var existing = WithIdentity(Assert.Single(Plan(WebService(), [WebPod("a", "10.0.0.1", httpPort: 8080)]).Creates));

        var plan = Plan(WebService(), [WebPod("a", "10.0.0.1", httpPort: 8081)], [existing]);

        Assert.Equal(8081, Assert.Single(Assert.Single(plan.Creates).Ports).Port);
        Assert.Equal(existing.Metadata.Name, Assert.Single(plan.Deletes).Metadata.Name);
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("selectorless")]
    [InlineData("externalname")]
    public void Plan_ServiceWithoutEndpoints_ItsSlicesDeleted(string what)
    {
        var existing = WithIdentity(Assert.Single(Plan(WebService(), [WebPod("a", "10.0.0.1")]).Creates));
        var service = what == "deleted" ? null : WebService();
        if (what == "selectorless")
        {
            service!.Spec.Selector.Clear();
        }
        else if (what == "externalname")
        {
            service!.Spec.Type = "ExternalName";
        }

        var plan = Plan(service, [WebPod("a", "10.0.0.1")], [existing]);

        Assert.Equal(existing.Metadata.Name, Assert.Single(plan.Deletes).Metadata.Name);
        Assert.Empty(plan.Creates);
    }

    [Theory]
    [InlineData("labels")]
    [InlineData("ip")]
    [InlineData("ready")]
    [InlineData("deleting")]
    [InlineData("ports")]
    public void AffectsEndpoints_ChangesThatMoveAnEndpoint_True(string change)
    {
        var before = WebPod("a", "10.0.0.1");
        var after = before.Clone();
        switch (change)
        {
            case "labels":
                after.Metadata.Labels["app"] = "db";
                break;
            case "ip":
                after.Status.PodIp = "10.0.0.9";
                break;
            case "ready":
                after.Status.Conditions[0].Status = "False";
                break;
            case "deleting":
                after.Metadata.DeletionTimestamp = Timestamp.FromDateTimeOffset(Epoch);
                break;
            case "ports":
                after.Spec.Containers[0].Ports[0].ContainerPort_ = 1;
                break;
        }

        Assert.True(EndpointSlicePlanner.AffectsEndpoints(before, after));
    }

    [Fact]
    public void AffectsEndpoints_ContainerStatusOnly_False()
    {
        var before = WebPod("a", "10.0.0.1");
        var after = before.Clone();
        after.Status.ContainerStatuses.Add(new ContainerStatus { Name = "main", RestartCount = 3 });

        Assert.False(EndpointSlicePlanner.AffectsEndpoints(before, after));
    }

    /// <summary>A planned slice as the store holds it once created.</summary>
    private static EndpointSlice WithIdentity(EndpointSlice slice)
    {
        var stored = slice.Clone();
        stored.Metadata.Uid = "uid-" + slice.Metadata.Name;
        stored.Metadata.ResourceVersion = "7";
        return stored;
    }
}
