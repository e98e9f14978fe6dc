using HostDaemons.Agent.Joining;

namespace HostDaemons.Agent.Tests.Joining;

public sealed class RenewalScheduleTests
{
    private static readonly DateTimeOffset s_issued = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0.0, 45)]
    [InlineData(0.5, 58.5)]
    [InlineData(0.999999, 72)]
    public void RenewAt_NinetyDayCertificate_Between50And80PercentCountedFromTheIssue(double random, double expectedDays)
    {
        var notBefore = s_issued - RenewalSchedule.IssuerBackdate;
        var notAfter = s_issued + TimeSpan.FromDays(90);

        var renewAt = RenewalSchedule.RenewAt(notBefore, notAfter, random);

        Assert.Equal(expectedDays, (renewAt - s_issued).TotalDays, 3);
    }

    [Fact]
    public void RenewAt_ShortCertificate_NotAtOnceDespiteTheBackdate()
    {
        var renewAt = RenewalSchedule.RenewAt(s_issued - RenewalSchedule.IssuerBackdate, s_issued + TimeSpan.FromSeconds(20), 0);

        Assert.Equal(s_issued + TimeSpan.FromSeconds(10), renewAt);
    }

    [Fact]
    public void RenewAt_CertificateNotBackdated_CountsFromItsStart()
    {
        var renewAt = RenewalSchedule.RenewAt(s_issued, s_issued + TimeSpan.FromMinutes(4), 1);

        Assert.Equal(s_issued + TimeSpan.FromMinutes(3.2), renewAt);
    }

    [Fact]
    public void RenewAt_ManyRandomDraws_StayInsideTheWindow()
    {
        var notAfter = s_issued + TimeSpan.FromDays(10);
        var times = Enumerable.Range(0, 1000).Select(_ => RenewalSchedule.RenewAt(s_issued - RenewalSchedule.IssuerBackdate, notAfter, Random.Shared.NextDouble())).ToList();

        Assert.All(times, t => Assert.InRange(t, s_issued + TimeSpan.FromDays(5), s_issued + TimeSpan.FromDays(8)));
        Assert.True(times.Distinct().Count() > 900);
    }
}
