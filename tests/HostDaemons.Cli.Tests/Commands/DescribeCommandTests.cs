using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Commands;
using HostDaemons.Cli.Printing;
using HostDaemons.Cli.Tests.Printing;
using HostDaemons.Model.Labels;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using static HostDaemons.Cli.Tests.HdctlRunner;

namespace HostDaemons.Cli.Tests.Commands;

public sealed class DescribeCommandTests
{
    private static readonly Describer s_describer = new(TestPods.Now, TimeZoneInfo.Utc);

    /// <summary>Answers List as the control plane does (kind, namespace, label selector) and records the requests.</summary>
    private sealed class FakeAdminClient(params IKubeObject[] objects) : AdminService.AdminServiceClient
    {
        public List<ListRequest> Lists { get; } = [];

        public bool EventsUnavailable { get; init; }

        public override AsyncUnaryCall<ListResponse> ListAsync(ListRequest request, CallOptions options)
        {
            Lists.Add(request);
            if (EventsUnavailable && request.Kind == ResourceKind.Event)
            {
                throw new RpcException(new Status(StatusCode.Unimplemented, "unknown kind"));
            }

            Assert.True(LabelQuery.TryParse(request.LabelSelector, out var query, out var error), error);
            var response = new ListResponse();
            response.Items.AddRange(objects
                .Where(o => o.ResourceKind == request.Kind && (request.AllNamespaces || o.Metadata.Namespace == request.Namespace) && query.Matches(o.Metadata.Labels))
                .Select(o => o.Wrap()));
            return new AsyncUnaryCall<ListResponse>(Task.FromResult(response), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        /// <summary>As a server without the placement preview: describe leaves its summary out.</summary>
        public override AsyncUnaryCall<ExplainPlacementResponse> ExplainPlacementAsync(ExplainPlacementRequest request, CallOptions options) =>
            throw new RpcException(new Status(StatusCode.Unimplemented, "unimplemented"));
    }

    private static Event NodeEvent() => DescribeFixtures.Event("NodeReady", "Node node-1 status is now: NodeReady", 1, TimeSpan.FromHours(1), TimeSpan.FromHours(1),
        kind: "Node", name: "node-1", uid: "node-1");

    private static Event PodEvent() => DescribeFixtures.Event("Pulled", "Container image already present on machine", 1, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(4));

    private static Event DaemonSetEvent() => DescribeFixtures.Event("SuccessfulCreate", "Created pod: ssd-monitor-x7k2p", 1, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5),
        kind: "DaemonSet", name: "ssd-monitor", uid: DescribeFixtures.DaemonSetUid, component: "daemonset-controller");

    private static Pod PodIn(string ns, string name, string app = "ssd-monitor")
    {
        var pod = DescribeFixtures.Pod();
        pod.Metadata.Namespace = ns;
        pod.Metadata.Name = name;
        pod.Metadata.Labels["app"] = app;
        return pod;
    }

    [Fact]
    public async Task DescribeAsync_Pod_ListsEventsOfItsNamespaceAndPrintsItsOwn()
    {
        var pod = DescribeFixtures.Pod();
        var client = new FakeAdminClient(pod, PodEvent(), DaemonSetEvent());

        var text = await DescribeCommand.DescribeAsync(client, pod, s_describer, TestContext.Current.CancellationToken);

        var request = Assert.Single(client.Lists);
        Assert.Equal((ResourceKind.Event, "default", false), (request.Kind, request.Namespace, request.AllNamespaces));
        Assert.Equal(s_describer.Pod(pod, [PodEvent()]), text);
        Assert.DoesNotContain("SuccessfulCreate", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeAsync_DaemonSet_ListsPodsWithItsSelectorInItsNamespace()
    {
        var ds = DescribeFixtures.DaemonSet();
        var otherApp = PodIn("default", "other-abcde", app: "other");
        otherApp.Status.Phase = "Pending";
        var otherNamespace = PodIn("infra", "ssd-monitor-zzzzz");
        otherNamespace.Status.Phase = "Failed";
        var client = new FakeAdminClient(ds, DescribeFixtures.Pod(), otherApp, otherNamespace, DaemonSetEvent());

        var text = await DescribeCommand.DescribeAsync(client, ds, s_describer, TestContext.Current.CancellationToken);

        Assert.Contains(client.Lists, r => r is { Kind: ResourceKind.Pod, Namespace: "default", AllNamespaces: false, LabelSelector: "app=ssd-monitor" });
        Assert.Contains("Pods Status:  1 Running / 0 Waiting / 0 Succeeded / 0 Failed\n", text, StringComparison.Ordinal);
        Assert.Contains("  Normal  SuccessfulCreate  5m    daemonset-controller  Created pod: ssd-monitor-x7k2p\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeAsync_Node_ListsPodsAndEventsOfEveryNamespace()
    {
        var node = DescribeFixtures.Node();
        var client = new FakeAdminClient(node, DescribeFixtures.Pod(), PodIn("infra", "agent-helper"), NodeEvent());

        var text = await DescribeCommand.DescribeAsync(client, node, s_describer, TestContext.Current.CancellationToken);

        Assert.Contains(client.Lists, r => r is { Kind: ResourceKind.Pod, AllNamespaces: true });
        Assert.Contains(client.Lists, r => r is { Kind: ResourceKind.Event, AllNamespaces: true });
        Assert.Contains("Non-terminated Pods:          (2 in total)\n", text, StringComparison.Ordinal);
        Assert.Contains("  Normal  NodeReady  60m   hostdaemons-agent  Node node-1 status is now: NodeReady\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeAsync_Namespace_NeedsNothingElseFromTheServer()
    {
        var ns = new Namespace { Metadata = new ObjectMeta { Name = "monitoring" }, Status = new NamespaceStatus { Phase = "Active" } };
        var client = new FakeAdminClient(ns, PodIn("monitoring", "agent-x"));

        var text = await DescribeCommand.DescribeAsync(client, ns, s_describer, TestContext.Current.CancellationToken);

        Assert.Empty(client.Lists);
        Assert.Equal("Name:         monitoring\nLabels:       <none>\nAnnotations:  <none>\nStatus:       Active\n", text);
    }

    [Fact]
    public async Task DescribeAsync_EventsCannotBeListed_DescribesWithoutThem()
    {
        var pod = DescribeFixtures.Pod();
        var client = new FakeAdminClient(pod) { EventsUnavailable = true };

        var text = await DescribeCommand.DescribeAsync(client, pod, s_describer, TestContext.Current.CancellationToken);

        Assert.EndsWith("Events:          <none>\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeByPrefixAsync_NamePrefix_DescribesEachMatchInTheNamespace()
    {
        var client = new FakeAdminClient(PodIn("default", "ssd-monitor-aaaaa"), PodIn("default", "ssd-monitor-bbbbb"), PodIn("default", "other"), PodIn("infra", "ssd-monitor-ccccc"));
        using var output = new StringWriter { NewLine = "\n" };

        var found = await DescribeCommand.DescribeByPrefixAsync(client, ResourceKinds.Pod, "default", "ssd-monitor", s_describer, output, TestContext.Current.CancellationToken);

        Assert.True(found);
        var names = output.ToString().Split('\n').Where(l => l.StartsWith("Name:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Name:         ssd-monitor-aaaaa", "Name:         ssd-monitor-bbbbb"], names);
        Assert.Contains("Events:          <none>\n\nName:         ssd-monitor-bbbbb\n", output.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("<none>\n\n", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeByPrefixAsync_NoMatch_FalseAndNothingWritten()
    {
        var client = new FakeAdminClient(PodIn("default", "other"));
        using var output = new StringWriter();

        Assert.False(await DescribeCommand.DescribeByPrefixAsync(client, ResourceKinds.Pod, "default", "ssd", s_describer, output, TestContext.Current.CancellationToken));
        Assert.Equal("", output.ToString());
    }

    [Theory]
    [InlineData("secrets", "regcred")]
    [InlineData("ev")]
    public async Task Run_KindWithoutDescriber_ErrorBeforeCallingTheServer(params string[] args)
    {
        var (code, output, error) = await RunAsync(["describe", .. args]);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal(
            "error: hdctl describe supports daemonsets, pods, nodes, namespaces, configmaps, serviceaccounts, services, endpointslices, roles, clusterroles, "
            + $"rolebindings, clusterrolebindings, priorityclasses, not {(args[0] == "ev" ? "events" : "secrets")}\n", error);
    }

    [Fact]
    public async Task Run_UnknownType_KubectlsError()
    {
        var (code, _, error) = await RunAsync("describe", "foo", "x");

        Assert.Equal(1, code);
        Assert.Equal("error: the server doesn't have a resource type \"foo\"\n", error);
    }

    [Theory]
    [InlineData("pod", "x")]
    [InlineData("ds/ssd-monitor")]
    [InlineData("node", "node-1", "-n", "infra")]
    public async Task Run_NoServer_ConnectionRefused(params string[] args)
    {
        var (code, output, error) = await RunAsync(["describe", .. args]);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n", error);
    }

    [Fact]
    public async Task Run_WithoutType_UsageError()
    {
        var (code, _, error) = await RunAsync("describe");

        Assert.Equal(1, code);
        Assert.EndsWith("See 'hdctl describe --help' for usage.\n", error, StringComparison.Ordinal);
    }
}
