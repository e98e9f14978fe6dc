using System.CommandLine;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Labels;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl describe TYPE [NAME...]</c> or <c>TYPE/NAME</c>: kubectl's long form of every kind but events and revisions, with their events.</summary>
internal sealed class DescribeCommand : Command
{
    private readonly Argument<string[]> _resources = new Argument<string[]>("TYPE[/NAME]") { Arity = ArgumentArity.OneOrMore, Description = "The resource type and, optionally, names" }.RejectingFlags();
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly Option<bool> _allNamespaces = new("--all-namespaces", "-A") { Description = "Describe the objects of every namespace" };
    private readonly Option<string?> _selector = new("--selector", "-l") { Description = "Label selector (k=v, k!=v, k in (a,b), k, !k)" };
    private readonly CliEnvironment _env;

    public DescribeCommand(CliEnvironment env)
        : base("describe", "Show details of a specific resource or group of resources")
    {
        _env = env;
        Arguments.Add(_resources);
        Options.Add(_namespace);
        Options.Add(_allNamespaces);
        Options.Add(_selector);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var arguments = parse.GetValue(_resources) ?? [];
        var (kind, names) = ResourceArguments.Parse(arguments);
        if (!s_describable.Contains(kind.Kind))
        {
            throw NotDescribable(kind);
        }

        var client = _env.Connect(parse).Client;
        var ns = CommonOptions.EffectiveNamespace(parse.GetValue(_namespace));
        var all = parse.GetValue(_allNamespaces) && names.Count == 0;
        var items = new List<IKubeObject>();
        var failures = new List<string>();
        if (names.Count > 0)
        {
            foreach (var name in names)
            {
                try
                {
                    var found = await client.GetAsync(new GetRequest { Ref = new ObjectReference { Kind = kind.Kind, Namespace = ns, Name = name } },
                        deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
                    items.Add(found.Unwrap()!);
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
                {
                    // As kubectl: "describe TYPE NAME" that names no object describes those whose names start with NAME.
                    if (arguments.Length == 2 && !arguments[0].Contains('/', StringComparison.Ordinal)
                        && await DescribeByPrefixAsync(client, kind, ns, name, NewDescriber(), _env.Output, cancellationToken))
                    {
                        return ExitCodes.Success;
                    }

                    failures.Add(_env.DescribeError(ex, parse));
                }
            }
        }
        else
        {
            var list = await client.ListAsync(new ListRequest { Kind = kind.Kind, Namespace = ns, AllNamespaces = all, LabelSelector = parse.GetValue(_selector) ?? "" },
                deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
            items.AddRange(list.Items.Select(i => i.Unwrap()!));
            if (items.Count == 0)
            {
                await _env.Error.WriteLineAsync(kind.Namespaced && !all ? $"No resources found in {ns} namespace." : "No resources found");
            }
        }

        var describer = NewDescriber();
        for (var i = 0; i < items.Count; i++)
        {
            var text = await DescribeAsync(client, items[i], describer, cancellationToken);
            await _env.Output.WriteAsync(i == 0 ? text : "\n\n" + text);
        }

        foreach (var failure in failures)
        {
            await _env.Error.WriteLineAsync(failure);
        }

        return failures.Count == 0 ? ExitCodes.Success : ExitCodes.Error;
    }

    private Describer NewDescriber() => new(_env.Time.GetUtcNow(), _env.Time.LocalTimeZone);

    /// <summary>Describes the objects of <paramref name="kind"/> whose names start with <paramref name="prefix"/>; false when there are none.</summary>
    internal static async Task<bool> DescribeByPrefixAsync(AdminService.AdminServiceClient client, ResourceKindInfo kind, string ns, string prefix,
        Describer describer, TextWriter output, CancellationToken cancellationToken)
    {
        var matching = (await ListAsync<IKubeObject>(client, new ListRequest { Kind = kind.Kind, Namespace = ns }, cancellationToken))
            .Where(o => o.Metadata.Name.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        foreach (var item in matching)
        {
            await output.WriteAsync(await DescribeAsync(client, item, describer, cancellationToken) + "\n");
        }

        return matching.Count > 0;
    }

    /// <summary>Fetches what the description of <paramref name="value"/> shows besides the object (events, pods), then writes it.</summary>
    internal static async Task<string> DescribeAsync(AdminService.AdminServiceClient client, IKubeObject value, Describer describer, CancellationToken cancellationToken)
    {
        var ns = value.Metadata?.Namespace ?? "";
        switch (value)
        {
            case Pod pod:
                return describer.Pod(pod, await EventsAsync(client, ns, cancellationToken));
            case DaemonSet ds:
                var selector = ds.Spec?.Selector;
                var pods = await ListAsync<Pod>(client, new ListRequest
                {
                    Kind = ResourceKind.Pod,
                    Namespace = ns,
                    LabelSelector = LabelSelectors.IsEmpty(selector) ? "" : LabelSelectors.Format(selector),
                }, cancellationToken);
                return describer.DaemonSet(ds, pods, await EventsAsync(client, ns, cancellationToken), await PlacementAsync(client, ds, cancellationToken));
            case Node node:
                var everyPod = await ListAsync<Pod>(client, new ListRequest { Kind = ResourceKind.Pod, AllNamespaces = true }, cancellationToken);
                return describer.Node(node, everyPod, await EventsAsync(client, ns: null, cancellationToken));
            case Namespace namespaceObject:
                return Describer.Namespace(namespaceObject);
            case ConfigMap cm:
                return describer.ConfigMap(cm, await EventsAsync(client, ns, cancellationToken));
            case ServiceAccount account:
                return describer.ServiceAccount(account, await SecretsAsync(client, ns, cancellationToken), await EventsAsync(client, ns, cancellationToken));
            case Service service:
                var slices = await ListAsync<EndpointSlice>(client, new ListRequest
                {
                    Kind = ResourceKind.EndpointSlice,
                    Namespace = ns,
                    LabelSelector = $"{EndpointSliceLabels.ServiceName}={service.Metadata.Name}",
                }, cancellationToken);
                return describer.Service(service, slices, await EventsAsync(client, ns, cancellationToken));
            case EndpointSlice slice:
                return describer.EndpointSlice(slice, await EventsAsync(client, ns, cancellationToken));
            case Role role:
                return Describer.Role(role);
            case ClusterRole role:
                return Describer.ClusterRole(role);
            case RoleBinding binding:
                return Describer.RoleBinding(binding);
            case ClusterRoleBinding binding:
                return Describer.ClusterRoleBinding(binding);
            case PriorityClass priorityClass:
                return describer.PriorityClass(priorityClass, await EventsAsync(client, ns: null, cancellationToken));
            default:
                throw NotDescribable(ResourceKinds.Get(value.ResourceKind));
        }
    }

    private static readonly ResourceKind[] s_describable =
    [
        ResourceKind.DaemonSet, ResourceKind.Pod, ResourceKind.Node, ResourceKind.Namespace, ResourceKind.ConfigMap, ResourceKind.ServiceAccount,
        ResourceKind.Service, ResourceKind.EndpointSlice, ResourceKind.Role, ResourceKind.ClusterRole, ResourceKind.RoleBinding,
        ResourceKind.ClusterRoleBinding, ResourceKind.PriorityClass,
    ];

    private static CliException NotDescribable(ResourceKindInfo kind) =>
        new($"error: hdctl describe supports {string.Join(", ", s_describable.Select(k => ResourceKinds.Get(k).Plural))}, not {kind.Plural}");

    /// <summary>The namespace's secrets, for a service account's description to mark those it lists that do not exist; null when they cannot be listed.</summary>
    private static async Task<List<Secret>?> SecretsAsync(AdminService.AdminServiceClient client, string ns, CancellationToken cancellationToken)
    {
        try
        {
            return await ListAsync<Secret>(client, new ListRequest { Kind = ResourceKind.Secret, Namespace = ns }, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is not (StatusCode.Cancelled or StatusCode.Unavailable or StatusCode.DeadlineExceeded))
        {
            return null;
        }
    }

    /// <summary>
    /// The events of a namespace (of all, for a node's), for the describer to pick the object's from. A server that
    /// cannot list them leaves the description without events rather than failing it, as kubectl does.
    /// </summary>
    private static async Task<List<Event>> EventsAsync(AdminService.AdminServiceClient client, string? ns, CancellationToken cancellationToken)
    {
        try
        {
            return await ListAsync<Event>(client, new ListRequest { Kind = ResourceKind.Event, Namespace = ns ?? "", AllNamespaces = ns is null }, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is not (StatusCode.Cancelled or StatusCode.Unavailable or StatusCode.DeadlineExceeded))
        {
            return [];
        }
    }

    /// <summary>The DaemonSet's placement for its summary counts; a server without the preview leaves them out.</summary>
    private static async Task<ExplainPlacementResponse?> PlacementAsync(AdminService.AdminServiceClient client, DaemonSet ds, CancellationToken cancellationToken)
    {
        try
        {
            var reference = new ObjectReference { Kind = ResourceKind.DaemonSet, Namespace = ds.Metadata.Namespace, Name = ds.Metadata.Name };
            return await client.ExplainPlacementAsync(new ExplainPlacementRequest { Ref = reference }, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is not (StatusCode.Cancelled or StatusCode.Unavailable or StatusCode.DeadlineExceeded))
        {
            return null;
        }
    }

    private static async Task<List<T>> ListAsync<T>(AdminService.AdminServiceClient client, ListRequest request, CancellationToken cancellationToken)
    {
        var list = await client.ListAsync(request, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        return [.. list.Items.Select(i => i.Unwrap()).OfType<T>()];
    }
}
