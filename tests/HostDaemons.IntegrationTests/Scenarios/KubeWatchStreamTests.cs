using System.Net;
using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// A REST watch's stream opens at once, as the API server's does: client-go's <c>Watch()</c> (and the clients built on
/// it) return only when the response headers have arrived, so a watch of a quiet resource must not wait for its first event.
/// </summary>
public sealed class KubeWatchStreamTests : IDisposable
{
    private readonly TempDirectory _directory = new("hd-kubewatch");

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task Watch_NoEventYet_HeadersArriveAtOnce(string httpVersion)
    {
        await using var controlPlane = await TestControlPlane.StartAsync(_directory.Combine("cp"));
        using var client = new HttpClient { BaseAddress = new Uri(controlPlane.Url), Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/pods?watch=1")
        {
            Version = Version.Parse(httpVersion),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose() => _directory.Dispose();
}
