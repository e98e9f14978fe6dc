using System.Net.Security;
using Grpc.Core;
using Grpc.Net.Client;
using HostDaemons.Api.V1;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Bench.Infrastructure;

/// <summary>What hdctl sends, straight through the admin API: apply, get, label, delete.</summary>
internal sealed class AdminApi : IDisposable
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(60);

    private readonly GrpcChannel _channel;

    /// <param name="url">The control plane: http:// (development mode: every caller is an administrator) or https://.</param>
    /// <param name="tls">Over https://: the administrator's client certificate and the cluster CA to trust.</param>
    public AdminApi(string url, SslClientAuthenticationOptions? tls = null)
    {
        _channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan, SslOptions = tls ?? new() },
        });
        Client = new AdminService.AdminServiceClient(_channel);
    }

    public AdminService.AdminServiceClient Client { get; }

    /// <summary>Decodes a manifest as hdctl does (defaults and validation included) into the objects it sends.</summary>
    public static IReadOnlyList<ApiObject> Decode(string yaml)
    {
        var result = ManifestReader.Read(yaml, "bench");
        if (!result.Succeeded)
        {
            throw new BenchFailedException("bench manifest invalid: " + string.Join("; ", result.Problems));
        }

        return result.Objects.Select(o => o.AsWritten.Wrap()).ToList();
    }

    public async Task<ApiObject> ApplyAsync(ApiObject obj, CancellationToken cancellationToken = default)
    {
        var response = await Client.ApplyAsync(new ApplyRequest { Object = obj, Mode = ApplyMode.Apply }, deadline: Deadline(), cancellationToken: cancellationToken);
        return response.Object;
    }

    public async Task ApplyAsync(string yaml, CancellationToken cancellationToken = default)
    {
        foreach (var obj in Decode(yaml))
        {
            await ApplyAsync(obj, cancellationToken);
        }
    }

    public async Task<bool> ReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Client.VersionAsync(new VersionRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    public async Task<DaemonSet?> GetDaemonSetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var obj = await GetAsync(ResourceKind.DaemonSet, ns, name, cancellationToken);
        return obj?.DaemonSet;
    }

    public async Task<Node?> GetNodeAsync(string name, CancellationToken cancellationToken)
    {
        var obj = await GetAsync(ResourceKind.Node, "", name, cancellationToken);
        return obj?.Node;
    }

    public async Task<ApiObject?> GetAsync(ResourceKind kind, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await Client.GetAsync(new GetRequest { Ref = new ObjectReference { Kind = kind, Namespace = ns, Name = name } }, deadline: Deadline(), cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task LabelNodeAsync(string node, string key, string? value, CancellationToken cancellationToken)
    {
        var request = new LabelRequest { Ref = new ObjectReference { Kind = ResourceKind.Node, Name = node }, Overwrite = true };
        if (value is null)
        {
            request.Remove.Add(key);
        }
        else
        {
            request.Set[key] = value;
        }

        await Client.LabelAsync(request, deadline: Deadline(), cancellationToken: cancellationToken);
    }

    public async Task DeleteAsync(ResourceKind kind, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await Client.DeleteAsync(new DeleteRequest { Ref = new ObjectReference { Kind = kind, Namespace = ns, Name = name } }, deadline: Deadline(), cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
        }
    }

    /// <summary>As <c>get ds</c> shows it: every desired pod scheduled, up to date and ready, for the latest generation.</summary>
    public static bool AllReady(DaemonSet? ds, int expected) =>
        ds?.Status is { } s
        && s.ObservedGeneration == ds.Metadata.Generation
        && s.DesiredNumberScheduled == expected
        && s.NumberReady == expected
        && s.UpdatedNumberScheduled == expected;

    public void Dispose() => _channel.Dispose();

    private static DateTime Deadline() => DateTime.UtcNow + s_callTimeout;
}
