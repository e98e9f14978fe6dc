using HostDaemons.ControlPlane.Security;
using HostDaemons.ControlPlane.Tests.TestServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.ControlPlane.Tests.Security;

public sealed class ServingCertificateRenewalTests
{
    [Fact]
    public async Task Run_TwoThirdsOfTheLifePass_RenewsOnceAndWaitsForTheNext()
    {
        using var data = new TempDirectory("hd-renew");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var listen = ListenEndpoint.Parse("https://127.0.0.1:7443");
        using var pki = ClusterPki.Open(new ControlPlaneOptions { DataDir = data.Path, Listen = listen.Url.ToString() }, listen, time, NullLogger<ClusterPki>.Instance);
        await using var services = new ServiceCollection().AddSingleton(pki).BuildServiceProvider();
        using var lifetime = new FakeHostApplicationLifetime();
        using var renewal = new ServingCertificateRenewal(services, listen, time, lifetime, NullLogger<ServingCertificateRenewal>.Instance);
        var first = pki.Serving.Certificate.SerialNumber;
        await renewal.StartAsync(TestContext.Current.CancellationToken);

        time.Advance(TimeSpan.FromDays(200));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(first, pki.Serving.Certificate.SerialNumber);

        time.Advance(TimeSpan.FromDays(44));
        await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(pki.Serving.Certificate.SerialNumber != first), "the serving certificate to be renewed");
        var second = pki.Serving.Certificate.SerialNumber;
        Assert.Equal(time.GetUtcNow().AddDays(365 * 2.0 / 3), pki.ServingRenewalTime, TimeSpan.FromSeconds(2));

        time.Advance(TimeSpan.FromDays(1));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(second, pki.Serving.Certificate.SerialNumber);

        await renewal.StopAsync(CancellationToken.None);
        Assert.Equal(0, lifetime.StopRequests);
    }
}
