using Docker.DotNet;
using Docker.DotNet.Models;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>
/// A Docker network of the test's own, <c>--internal</c> (no route out: traffic stays between the test's containers),
/// on a free 10.231.N.0/24 subnet, removed (with anything left on it) when disposed.
/// </summary>
public sealed class TestNetwork : IAsyncDisposable
{
    private readonly DockerClient _client = new DockerClientBuilder().WithEndpoint(new Uri("unix:///var/run/docker.sock")).Build();

    private TestNetwork(string name, string subnet)
    {
        Name = name;
        Subnet = subnet;
    }

    public string Name { get; }

    /// <summary>The subnet, <c>10.231.N.0/24</c>.</summary>
    public string Subnet { get; }

    /// <summary>The subnet's first three octets with their dot, <c>10.231.N.</c>: every address on it starts so.</summary>
    public string Prefix => Subnet[..(Subnet.LastIndexOf('.') + 1)];

    public static async Task<TestNetwork> CreateAsync(string name)
    {
        using var client = new DockerClientBuilder().WithEndpoint(new Uri("unix:///var/run/docker.sock")).Build();
        for (var attempt = 0; ; attempt++)
        {
            var subnet = $"10.231.{Random.Shared.Next(1, 255)}.0/24";
            try
            {
                await client.Networks.CreateNetworkAsync(new NetworksCreateParameters
                {
                    Name = name,
                    Internal = true,
                    IPAM = new IPAM { Config = [new IPAMConfig { Subnet = subnet }] },
                }, TestContext.Current.CancellationToken);
                return new TestNetwork(name, subnet);
            }
            catch (DockerApiException ex) when (attempt < 20 && ex.Message.Contains("overlap", StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            var network = await _client.Networks.InspectNetworkAsync(Name);
            foreach (var id in network.Containers?.Keys ?? [])
            {
                await _client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
            }

            await _client.Networks.DeleteNetworkAsync(Name);
        }
        catch (DockerNetworkNotFoundException)
        {
        }
        finally
        {
            _client.Dispose();
        }
    }
}
