using HostDaemons.Api.V1;
using HostDaemons.Cli.Printing;

namespace HostDaemons.Cli.Tests.Printing;

public sealed class PlacementPrinterTests
{
    private static ExplainPlacementResponse Sample() => new()
    {
        Nodes =
        {
            new NodePlacement { Node = "n1", ShouldRun = true, ShouldContinueRunning = true, Pods = { "ssd-monitor-abcde" } },
            new NodePlacement { Node = "n2", Rule = "nodeSelector", Reason = "nodeSelector disk=ssd not matched" },
            new NodePlacement { Node = "n3", ShouldContinueRunning = true, Rule = "taint", Reason = "taint dedicated=infra:NoSchedule not tolerated", Pods = { "ssd-monitor-fghij" } },
        },
    };

    [Fact]
    public void WriteTable_EveryNode_DecisionPodsAndReason()
    {
        using var output = new StringWriter { NewLine = "\n" };

        PlacementPrinter.WriteTable(Sample(), output);

        Assert.Equal(
            """
            NODE   PLACEMENT        PODS                REASON
            n1     run              ssd-monitor-abcde   <none>
            n2     not run          <none>              nodeSelector disk=ssd not matched
            n3     not run (kept)   ssd-monitor-fghij   taint dedicated=infra:NoSchedule not tolerated

            """.ReplaceLineEndings("\n"), output.ToString());
    }

    [Fact]
    public void Summary_CountsByRule()
    {
        Assert.Equal("3 nodes: 1 run, 2 not run (nodeSelector 1, taint 1)", PlacementPrinter.Summary(Sample()));
        Assert.Equal("1 node: 1 run, 0 not run", PlacementPrinter.Summary(new ExplainPlacementResponse { Nodes = { Sample().Nodes[0] } }));
    }
}
