using Docker.DotNet;
using Docker.DotNet.Models;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>Extra local tags of busybox:latest for one test (new "versions" of a daemon without a registry); removed at the end.</summary>
public sealed class LocalImageTags : IAsyncDisposable
{
    private readonly DockerClient _client = new DockerClientBuilder().WithEndpoint(new Uri("unix:///var/run/docker.sock")).Build();
    private readonly string _prefix = "hd-" + Guid.NewGuid().ToString("N")[..6];
    private readonly List<string> _created = [];

    /// <summary>A tag nobody made: with imagePullPolicy Never, a pod of it fails with ErrImageNeverPull.</summary>
    public string Missing => $"busybox:{_prefix}-missing";

    /// <summary>Tags busybox:latest as <c>busybox:hd-xxxxxx-NAME</c> and returns that image name.</summary>
    public async Task<string> TagAsync(string name)
    {
        var tag = $"{_prefix}-{name}";
        await _client.Images.TagImageAsync("busybox:latest", new ImageTagParameters { RepositoryName = "busybox", Tag = tag }, TestContext.Current.CancellationToken);
        _created.Add($"busybox:{tag}");
        return $"busybox:{tag}";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var image in _created)
        {
            try
            {
                await _client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true, NoPrune = true });
            }
            catch (DockerApiException)
            {
            }
        }

        _client.Dispose();
    }
}
