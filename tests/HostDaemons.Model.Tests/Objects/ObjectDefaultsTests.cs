using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Objects;

public sealed class ObjectDefaultsTests
{
    [Fact]
    public void Apply_BareDaemonSet_SetsKubernetesDefaults()
    {
        var ds = TestObjects.DaemonSet();

        ObjectDefaults.Apply(ds);

        Assert.Equal("apps/v1", ds.ApiVersion);
        Assert.Equal("DaemonSet", ds.Kind);
        Assert.Equal("default", ds.Metadata.Namespace);
        Assert.Equal("RollingUpdate", ds.Spec.UpdateStrategy.Type);
        Assert.Equal(new IntOrString { IntValue = 1 }, ds.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable);
        Assert.Equal(new IntOrString { IntValue = 0 }, ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge);
        Assert.True(ds.Spec.HasRevisionHistoryLimit);
        Assert.Equal(10, ds.Spec.RevisionHistoryLimit);
        Assert.False(ds.Spec.HasMinReadySeconds);
        var pod = ds.Spec.Template.Spec;
        Assert.Equal("Always", pod.RestartPolicy);
        Assert.True(pod.HasTerminationGracePeriodSeconds);
        Assert.Equal(30, pod.TerminationGracePeriodSeconds);
        Assert.Equal("ClusterFirst", pod.DnsPolicy);
    }

    [Fact]
    public void Apply_ValuesAlreadySet_KeepsThem()
    {
        var ds = TestObjects.DaemonSet();
        ds.Metadata.Namespace = "kube-system";
        ds.Spec.RevisionHistoryLimit = 0;
        ds.Spec.UpdateStrategy = new DaemonSetUpdateStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new RollingUpdateDaemonSet { MaxUnavailable = new IntOrString { StringValue = "25%" } },
        };
        ds.Spec.Template.Spec.TerminationGracePeriodSeconds = 0;
        ds.Spec.Template.Spec.RestartPolicy = "Never";
        ds.Spec.Template.Spec.DnsPolicy = "Default";
        ds.Spec.Template.Spec.Containers[0].ImagePullPolicy = "Always";

        ObjectDefaults.Apply(ds);

        Assert.Equal("kube-system", ds.Metadata.Namespace);
        Assert.Equal(0, ds.Spec.RevisionHistoryLimit);
        Assert.Equal("25%", ds.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable.StringValue);
        Assert.Equal(0, ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge.IntValue);
        Assert.Equal(0, ds.Spec.Template.Spec.TerminationGracePeriodSeconds);
        Assert.Equal("Never", ds.Spec.Template.Spec.RestartPolicy);
        Assert.Equal("Default", ds.Spec.Template.Spec.DnsPolicy);
        Assert.Equal("Always", ds.Spec.Template.Spec.Containers[0].ImagePullPolicy);
    }

    [Fact]
    public void Apply_OnDeleteStrategy_AddsNoRollingUpdate()
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.UpdateStrategy = new DaemonSetUpdateStrategy { Type = "OnDelete" };

        ObjectDefaults.Apply(ds);

        Assert.Equal("OnDelete", ds.Spec.UpdateStrategy.Type);
        Assert.Null(ds.Spec.UpdateStrategy.RollingUpdate);
    }

    [Theory]
    [InlineData("busybox")]
    [InlineData("busybox:latest")]
    [InlineData("busybox:1.36")]
    [InlineData("registry.example.com:5000/team/app:latest")]
    [InlineData("busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Apply_AnyImageTag_PullPolicyIsIfNotPresent(string image)
    {
        var ds = TestObjects.DaemonSet();
        ds.Spec.Template.Spec.Containers[0].Image = image;

        ObjectDefaults.Apply(ds);

        Assert.Equal("IfNotPresent", ds.Spec.Template.Spec.Containers[0].ImagePullPolicy);
        Assert.Equal("IfNotPresent", ObjectDefaults.DefaultPullPolicy);
    }

    [Fact]
    public void Apply_LimitsWithoutRequests_RequestsDefaultToLimits()
    {
        var ds = TestObjects.DaemonSet();
        var resources = new ResourceRequirements { Limits = { ["cpu"] = "100m", ["memory"] = "200Mi" } };
        ds.Spec.Template.Spec.Containers[0].Resources = resources;

        ObjectDefaults.Apply(ds);

        Assert.Equal("100m", resources.Requests["cpu"]);
        Assert.Equal("200Mi", resources.Requests["memory"]);
    }

    [Fact]
    public void Apply_RequestGivenForOneResource_KeepsItAndDefaultsTheOther()
    {
        var ds = TestObjects.DaemonSet();
        var resources = new ResourceRequirements
        {
            Limits = { ["cpu"] = "1", ["memory"] = "200Mi" },
            Requests = { ["cpu"] = "250m" },
        };
        ds.Spec.Template.Spec.Containers[0].Resources = resources;

        ObjectDefaults.Apply(ds);

        Assert.Equal("250m", resources.Requests["cpu"]);
        Assert.Equal("200Mi", resources.Requests["memory"]);
    }

    [Fact]
    public void Apply_RequestsWithoutLimits_AddsNoLimits()
    {
        var ds = TestObjects.DaemonSet();
        var resources = new ResourceRequirements { Requests = { ["cpu"] = "250m" } };
        ds.Spec.Template.Spec.Containers[0].Resources = resources;

        ObjectDefaults.Apply(ds);

        Assert.Empty(resources.Limits);
        Assert.Equal("250m", Assert.Single(resources.Requests).Value);
    }

    [Fact]
    public void Apply_DeprecatedServiceAccount_CopiedToServiceAccountName()
    {
        var spec = new PodSpec { ServiceAccount = "fluentd-account" };

        ObjectDefaults.Apply(spec);

        Assert.Equal("fluentd-account", spec.ServiceAccountName);
    }

    [Fact]
    public void Apply_Twice_IsIdempotent()
    {
        var once = TestObjects.DaemonSet();
        ObjectDefaults.Apply(once);
        var twice = once.Clone();

        ObjectDefaults.Apply(twice);

        Assert.Equal(once, twice);
    }

    [Fact]
    public void Apply_DaemonSetWithoutSpec_CreatesStrategyDefaults()
    {
        var ds = new DaemonSet { Metadata = new ObjectMeta { Name = "x" } };

        ObjectDefaults.Apply(ds);

        Assert.Equal("RollingUpdate", ds.Spec.UpdateStrategy.Type);
        Assert.Equal(10, ds.Spec.RevisionHistoryLimit);
        Assert.Null(ds.Spec.Template);
    }
}
