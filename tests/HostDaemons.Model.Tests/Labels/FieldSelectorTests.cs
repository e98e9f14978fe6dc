using HostDaemons.Model.Labels;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Labels;

public sealed class FieldSelectorTests
{
    private static FieldSelector Parse(string text)
    {
        Assert.True(FieldSelector.TryParse(text, out var selector, out var error), error);
        Assert.Equal("", error);
        return selector;
    }

    private static Pod Pod(string name, string node, string phase) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "default" },
        Spec = new PodSpec { NodeName = node },
        Status = new PodStatus { Phase = phase },
    };

    [Theory]
    [InlineData("spec.nodeName=n1", "spec.nodeName", false, "n1")]
    [InlineData("spec.nodeName==n1", "spec.nodeName", false, "n1")]
    [InlineData("spec.nodeName!=n1", "spec.nodeName", true, "n1")]
    [InlineData("spec.nodeName=", "spec.nodeName", false, "")]
    [InlineData("a=x\\,y\\=z\\\\", "a", false, "x,y=z\\")]
    public void TryParse_OneTerm_FieldOperatorAndValue(string text, string field, bool notEquals, string value)
    {
        var requirement = Assert.Single(Parse(text).Requirements);

        Assert.Equal(new FieldRequirement(field, notEquals, value), requirement);
    }

    [Fact]
    public void TryParse_SeveralTerms_AllKeptSortedAsApimachinerySortsThem()
    {
        var selector = Parse("status.phase=Running,spec.nodeName!=n2");

        Assert.Equal("spec.nodeName!=n2,status.phase=Running", selector.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData(",")]
    public void TryParse_Empty_Everything(string? text)
    {
        Assert.True(Parse(text!).IsEverything);
    }

    [Theory]
    [InlineData("spec.nodeName", "invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'")]
    [InlineData("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'")]
    [InlineData("a=b=c", "invalid field selector: unescaped character in value: =")]
    [InlineData("a=b\\x", "invalid field selector: invalid escape sequence: \\x")]
    [InlineData("a=b\\", "invalid field selector: invalid escape sequence: \\")]
    public void TryParse_Malformed_ApimachinerysMessage(string text, string message)
    {
        Assert.False(FieldSelector.TryParse(text, out _, out var error));

        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("spec.nodeName=n1", true)]
    [InlineData("spec.nodeName=n2", false)]
    [InlineData("spec.nodeName!=n2", true)]
    [InlineData("spec.nodeName=n1,status.phase=Running", true)]
    [InlineData("spec.nodeName=n1,status.phase!=Running", false)]
    [InlineData("metadata.name=p,metadata.namespace=default", true)]
    public void Matches_Pod_EveryTermMustHold(string text, bool expected)
    {
        Assert.Equal(expected, FieldLabels.Matches(Parse(text), Pod("p", "n1", "Running")));
    }

    [Theory]
    [InlineData(ResourceKind.Pod, "spec.nodeName=n1,status.phase=Running,metadata.name=x", null)]
    [InlineData(ResourceKind.Pod, "spec.nodeName=n1,spec.host=x", "field label not supported: spec.host")]
    [InlineData(ResourceKind.DaemonSet, "metadata.namespace=x,metadata.name=y", null)]
    [InlineData(ResourceKind.DaemonSet, "status.phase=Running", "field label not supported: status.phase")]
    [InlineData(ResourceKind.Node, "spec.unschedulable=true", null)]
    [InlineData(ResourceKind.Event, "involvedObject.name=x,reason=Started,type=Warning", null)]
    [InlineData(ResourceKind.Secret, "type=Opaque", null)]
    [InlineData(ResourceKind.Namespace, "status.phase=Active", null)]
    public void Unsupported_FieldsOfTheKind_NullOrTheApiServersMessage(ResourceKind kind, string text, string? expected)
    {
        Assert.Equal(expected, FieldLabels.Unsupported(kind, Parse(text)));
    }

    [Fact]
    public void Matches_NodeUnschedulable_AsKubernetesFormatsBooleans()
    {
        var node = new Node { Metadata = new ObjectMeta { Name = "n1" }, Spec = new NodeSpec { Unschedulable = true } };

        Assert.True(FieldLabels.Matches(Parse("spec.unschedulable=true"), node));
        Assert.False(FieldLabels.Matches(Parse("spec.unschedulable=false"), node));
    }

    [Fact]
    public void Matches_EventInvolvedObject_ByName()
    {
        var e = new Event { Metadata = new ObjectMeta { Name = "e" }, InvolvedObject = new EventObjectReference { Kind = "Pod", Name = "web" }, Reason = "Started" };

        Assert.True(FieldLabels.Matches(Parse("involvedObject.name=web,involvedObject.kind=Pod,reason=Started"), e));
        Assert.False(FieldLabels.Matches(Parse("involvedObject.name=db"), e));
    }
}
