using HostDaemons.Api.V1;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests.Commands;

/// <summary>rollout and set image: argument errors and kubectl's words, without a server.</summary>
public sealed class RolloutCommandTests
{
    [Theory]
    [InlineData(new[] { "rollout", "status" }, "error: required resource not specified\n")]
    [InlineData(new[] { "rollout", "status", "pod/p" }, "error: no status viewer has been implemented for Pod\n")]
    [InlineData(new[] { "rollout", "history", "node/n1" }, "error: no history viewer has been implemented for \"Node\"\n")]
    [InlineData(new[] { "rollout", "undo", "po", "p" }, "error: no rollbacker has been implemented for \"Pod\"\n")]
    [InlineData(new[] { "rollout", "restart", "pod/p" }, "error: pods \"p\" restarting is not supported\n")]
    [InlineData(new[] { "rollout", "undo", "ds" }, "error: resource(s) were provided, but no name was specified\n")]
    [InlineData(new[] { "rollout", "status", "ds/x", "--timeout", "soon" }, "error: invalid argument \"soon\" for \"--timeout\" flag: time: invalid duration\n")]
    [InlineData(new[] { "rollout", "history", "ds/x", "--revision", "-1" }, "error: revision must be a positive integer: -1\n")]
    [InlineData(new[] { "set", "image", "ds/x" }, "error: at least one image update is required\n")]
    [InlineData(new[] { "set", "image", "main=busybox:2" }, "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n")]
    [InlineData(new[] { "set", "image", "ds/x", "*=a", "main=b" }, "error: all containers are already specified by *, but saw more than one container_name=container_image pairs\n")]
    [InlineData(new[] { "set", "image", "ds/x", "main=" }, "error: invalid image update spec: main=\n")]
    public async Task Rollout_BadArguments_KubectlsErrors(string[] args, string expected)
    {
        var (code, output, error) = await HdctlRunner.RunAsync(args);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal(expected, error);
    }

    [Fact]
    public async Task RolloutUndo_NoArguments_ResourceBuildersMessage()
    {
        var (code, _, error) = await HdctlRunner.RunAsync("rollout", "undo");

        Assert.Equal(1, code);
        Assert.StartsWith("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'", error, StringComparison.Ordinal);
    }

    private static DaemonSet Ds(long generation, long observed, int desired, int updated, int available) => new()
    {
        Metadata = new ObjectMeta { Name = "x", Generation = generation },
        Spec = new DaemonSetSpec { UpdateStrategy = new DaemonSetUpdateStrategy { Type = "RollingUpdate" } },
        Status = new DaemonSetStatus { ObservedGeneration = observed, DesiredNumberScheduled = desired, UpdatedNumberScheduled = updated, NumberAvailable = available },
    };

    [Fact]
    public void Status_EachStage_KubectlsLine()
    {
        Assert.Equal(("Waiting for daemon set spec update to be observed...", false), RolloutStatusText.Status(Ds(2, 1, 3, 3, 3)));
        Assert.Equal(("Waiting for daemon set \"x\" rollout to finish: 1 out of 3 new pods have been updated...", false), RolloutStatusText.Status(Ds(2, 2, 3, 1, 2)));
        Assert.Equal(("Waiting for daemon set \"x\" rollout to finish: 2 of 3 updated pods are available...", false), RolloutStatusText.Status(Ds(2, 2, 3, 3, 2)));
        Assert.Equal(("daemon set \"x\" successfully rolled out", true), RolloutStatusText.Status(Ds(2, 2, 3, 3, 3)));
    }

    [Fact]
    public void Details_EveryNodeWithRevisionAndState_ThenTheStall()
    {
        var progress = new RolloutProgress
        {
            DaemonSet = Ds(2, 2, 3, 1, 2),
            Stalled = "rolling update stalled at maxUnavailable=1: updated pods are failing on 1 node: node-a (ErrImageNeverPull); 2 nodes still on an old revision",
            Nodes =
            {
                new NodeRollout { Node = "node-a", Pod = "x-aaaaa", Revision = 2, Updated = true, Reason = "ErrImageNeverPull" },
                new NodeRollout { Node = "node-b", Pod = "x-bbbbb", Revision = 1, Ready = true, Available = true },
                new NodeRollout { Node = "node-c", Pod = "x-ccccc", Revision = 1, Ready = true },
                new NodeRollout { Node = "node-c", Pod = "x-ddddd", Revision = 0, Terminating = true },
            },
        };

        Assert.Equal(
            "  node-a   x-aaaaa   revision 2 (updated)   not ready: ErrImageNeverPull\n"
            + "  node-b   x-bbbbb   revision 1 (old)       available\n"
            + "  node-c   x-ccccc   revision 1 (old)       ready, not yet available\n"
            + "  node-c   x-ddddd   revision ? (old)       terminating\n"
            + "  rolling update stalled at maxUnavailable=1: updated pods are failing on 1 node: node-a (ErrImageNeverPull); 2 nodes still on an old revision"
            + " (\"hdctl rollout undo daemonset/x\" goes back to the previous revision)\n",
            RolloutStatusText.Details(progress));
    }

    [Fact]
    public void History_RevisionsAscendingWithChangeCause_OrNoHistory()
    {
        ControllerRevision Revision(long number, string? cause)
        {
            var revision = new ControllerRevision { Metadata = new ObjectMeta { Name = $"x-{number}" }, Revision = number };
            if (cause is not null)
            {
                revision.Metadata.Annotations["kubernetes.io/change-cause"] = cause;
            }

            return revision;
        }

        Assert.Equal("REVISION  CHANGE-CAUSE\n2         <none>\n10        hdctl set image ds/x main=busybox:2\n",
            RolloutHistoryText.Table([Revision(10, "hdctl set image ds/x main=busybox:2"), Revision(2, null)]));
        Assert.Equal("No rollout history found.", RolloutHistoryText.Table([]));
    }

    [Fact]
    public void Template_AsRolloutHistoryPrintsIt_TabsKept()
    {
        var template = new PodTemplateSpec
        {
            Metadata = new ObjectMeta { Labels = { ["app"] = "x" } },
            Spec = new PodSpec { Containers = { new Container { Name = "main", Image = "busybox:2" } } },
        };

        var text = new Describer(TestPods.Now, TimeZoneInfo.Utc).Template(template);

        Assert.StartsWith("Pod Template:\n  Labels:\tapp=x\n", text, StringComparison.Ordinal);
        Assert.Contains("    Image:\tbusybox:2\n", text, StringComparison.Ordinal);
    }
}
