using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Commands;

/// <summary>The nodes a node verb acts on when given a selector (or <c>--all</c>) instead of names.</summary>
internal static class NodeNames
{
    public static async Task<IReadOnlyList<string>> ListAsync(AdminService.AdminServiceClient client, string selector, CancellationToken cancellationToken)
    {
        var list = await client.ListAsync(new ListRequest { Kind = ResourceKind.Node, LabelSelector = selector },
            deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        var names = list.Items.Select(i => i.Unwrap()!.Metadata.Name).ToList();
        if (names.Count == 0)
        {
            throw new CliException("No resources found");
        }

        return names;
    }
}
