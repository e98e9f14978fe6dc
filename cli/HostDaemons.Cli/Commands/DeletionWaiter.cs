using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Model.Objects;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// kubectl's <c>delete --wait</c>: after the deletes are accepted, waits until each object is really gone (a pod once its
/// agent has stopped its containers, a DaemonSet deleted in the foreground once its pods are gone).
/// </summary>
internal static class DeletionWaiter
{
    public static async Task WaitAsync(AdminService.AdminServiceClient client, IReadOnlyList<(ResourceKindInfo Kind, IKubeObject Deleted)> deleted,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout > TimeSpan.Zero)
        {
            limit.CancelAfter(timeout);
        }

        foreach (var (kind, value) in deleted)
        {
            try
            {
                await WaitUntilGoneAsync(client, kind, value, limit.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled or StatusCode.DeadlineExceeded }
                && limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new CliException($"error: timed out waiting for the condition on {kind.Plural}/{value.Metadata.Name}");
            }
        }
    }

    private static async Task WaitUntilGoneAsync(AdminService.AdminServiceClient client, ResourceKindInfo kind, IKubeObject deleted, CancellationToken cancellationToken)
    {
        var reference = new ObjectReference { Kind = kind.Kind, Namespace = deleted.Metadata.Namespace, Name = deleted.Metadata.Name };
        IKubeObject current;
        try
        {
            current = (await client.GetAsync(new GetRequest { Ref = reference }, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken)).Unwrap()!;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return;
        }

        if (current.Metadata.Uid != deleted.Metadata.Uid)
        {
            return;
        }

        // From the revision just read, so a deletion between the read and the watch is not missed.
        var request = new WatchRequest
        {
            Kind = kind.Kind,
            Namespace = reference.Namespace,
            Name = reference.Name,
            ResourceVersion = long.Parse(current.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture),
        };
        using var call = client.Watch(request, cancellationToken: cancellationToken);
        await foreach (var e in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (e.Type == "DELETED" && e.Object.Unwrap()?.Metadata.Uid == deleted.Metadata.Uid)
            {
                return;
            }
        }
    }
}
