using HostDaemons.ControlPlane.Controller;
using HostDaemons.Model.V1;
using static HostDaemons.ControlPlane.Tests.TestServices.TestObjects;

namespace HostDaemons.ControlPlane.Tests.Controller;

public sealed class RollingUpdateBudgetTests
{
    [Theory]
    [InlineData("10%", 10, 1)]
    [InlineData("10%", 11, 2)]
    [InlineData("25%", 3, 1)]
    [InlineData("0%", 5, 0)]
    [InlineData("100%", 7, 7)]
    [InlineData("50%", 0, 0)]
    public void Scale_Percent_RoundsUp(string percent, int total, int expected)
    {
        Assert.Equal(expected, RollingUpdateBudget.Scale(Percent(percent), total, fallback: -1));
    }

    [Fact]
    public void Scale_IntMissingOrMalformed_IntOrFallback()
    {
        Assert.Equal(3, RollingUpdateBudget.Scale(Int(3), 100, fallback: -1));
        Assert.Equal(-1, RollingUpdateBudget.Scale(null, 100, fallback: -1));
        Assert.Equal(-1, RollingUpdateBudget.Scale(Percent("ten%"), 100, fallback: -1));
    }

    [Fact]
    public void MaxUnavailable_NotSet_DefaultsToOne()
    {
        var ds = DaemonSet();
        ds.Spec.UpdateStrategy.RollingUpdate = null;

        Assert.Equal(1, RollingUpdateBudget.MaxUnavailable(ds, 5));
    }

    [Fact]
    public void MaxUnavailable_BothScaleToZero_ForcedToOne()
    {
        var ds = DaemonSet().WithMaxUnavailable(Percent("10%"));
        ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge = Int(0);

        // 10% of 0 is 0, and of 5 is 1: with desired > 0, Kubernetes never lets both be 0.
        Assert.Equal(0, RollingUpdateBudget.MaxUnavailable(ds, 0));
        Assert.Equal(1, RollingUpdateBudget.MaxUnavailable(ds, 5));

        var zero = DaemonSet().WithMaxUnavailable(Int(0));
        zero.Spec.UpdateStrategy.RollingUpdate.MaxSurge = Int(0);
        Assert.Equal(1, RollingUpdateBudget.MaxUnavailable(zero, 3));
    }

    [Fact]
    public void MaxUnavailable_SurgeSet_LeavesUnavailableAtZero()
    {
        var ds = DaemonSet().WithMaxUnavailable(Int(0));
        ds.Spec.UpdateStrategy.RollingUpdate.MaxSurge = new IntOrString { StringValue = "20%" };

        Assert.Equal(0, RollingUpdateBudget.MaxUnavailable(ds, 10));
    }
}
