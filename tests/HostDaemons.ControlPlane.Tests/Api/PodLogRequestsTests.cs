using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Api;
using HostDaemons.ControlPlane.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Tests.Api;

/// <summary>The log options hdctl and the REST API send, validated as Kubernetes' ValidatePodLogOptions does, and passed to the agent.</summary>
public sealed class PodLogRequestsTests
{
    private static readonly Timestamp s_time = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Resolve_SinceSecondsAndSinceTime_RefusedAsKubernetesDoes()
    {
        var error = await ResolveFailsAsync(new PodLogOptions { SinceSeconds = 10, SinceTime = s_time });

        Assert.Equal("The PodLogOptions \"web-1\" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified", error.Status.Detail);
        Assert.Equal("Invalid", error.Trailers.GetValue(ApiErrors.ReasonTrailer));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task Resolve_SinceSecondsBelowOne_Invalid(long seconds)
    {
        var error = await ResolveFailsAsync(new PodLogOptions { SinceSeconds = seconds });

        Assert.Equal($"The PodLogOptions \"web-1\" is invalid: sinceSeconds: Invalid value: {seconds}: must be greater than 0", error.Status.Detail);
    }

    [Fact]
    public async Task Resolve_SinceSecondsOrSinceTime_PassedToTheAgent()
    {
        await using var harness = new StoreHarness();
        await harness.Store.CreateAsync(TestObjects.Pod("web-1", "node-a"), TestContext.Current.CancellationToken);

        var (_, bySeconds) = PodLogRequests.Resolve(harness.Store, Request(new PodLogOptions { SinceSeconds = 1 }));
        var (_, byTime) = PodLogRequests.Resolve(harness.Store, Request(new PodLogOptions { SinceTime = s_time }));

        Assert.Equal(1, bySeconds.Options.SinceSeconds);
        Assert.Equal(s_time, byTime.Options.SinceTime);
        Assert.False(byTime.Options.HasSinceSeconds);
    }

    private static LogsRequest Request(PodLogOptions options) => new() { Namespace = "default", Pod = "web-1", Options = options };

    private static async Task<RpcException> ResolveFailsAsync(PodLogOptions options)
    {
        await using var harness = new StoreHarness();
        await harness.Store.CreateAsync(TestObjects.Pod("web-1", "node-a"), TestContext.Current.CancellationToken);
        var error = Assert.Throws<RpcException>(() => PodLogRequests.Resolve(harness.Store, Request(options)));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        return error;
    }
}
