using System.CommandLine;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Printing;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl get TYPE [NAME...]</c>: tables, wide, yaml, json or names; <c>-w</c> keeps printing changes.</summary>
internal sealed class GetCommand : Command
{
    private readonly Argument<string[]> _resources = new Argument<string[]>("TYPE[/NAME]") { Arity = ArgumentArity.OneOrMore, Description = "The resource type and, optionally, names" }.RejectingFlags();
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly Option<bool> _allNamespaces = new("--all-namespaces", "-A") { Description = "List the objects of every namespace" };
    private readonly Option<string?> _selector = new("--selector", "-l") { Description = "Label selector (k=v, k!=v, k in (a,b), k, !k)" };
    private readonly Option<string?> _fieldSelector = CommonOptions.FieldSelector();
    private readonly Option<string?> _output = new("--output", "-o") { Description = "Output format: json, yaml, name or wide" };
    private readonly Option<bool> _watch = new("--watch", "-w") { Description = "After listing, watch for changes" };
    private readonly Option<bool> _showLabels = new("--show-labels") { Description = "Show every object's labels as the last column" };
    private readonly CliEnvironment _env;

    public GetCommand(CliEnvironment env)
        : base("get", "Display one or many resources")
    {
        _env = env;
        Arguments.Add(_resources);
        Options.Add(_namespace);
        Options.Add(_allNamespaces);
        Options.Add(_selector);
        Options.Add(_fieldSelector);
        Options.Add(_output);
        Options.Add(_watch);
        Options.Add(_showLabels);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var (kind, names) = ResourceArguments.Parse(parse.GetValue(_resources) ?? []);
        if (!OutputFormats.TryParse(parse.GetValue(_output), out var format))
        {
            throw new CliException($"error: unable to match a printer suitable for the output format \"{parse.GetValue(_output)}\", allowed formats are: {OutputFormats.Allowed}");
        }

        var fields = parse.GetValue(_fieldSelector) ?? "";
        if (names.Count > 0 && fields.Length > 0)
        {
            throw new CliException("error: name cannot be provided when a selector is specified");
        }

        var client = _env.Connect(parse).Client;
        var ns = CommonOptions.EffectiveNamespace(parse.GetValue(_namespace));
        var all = parse.GetValue(_allNamespaces) && names.Count == 0;
        var printer = new ResourcePrinter(format, all && kind.Namespaced, parse.GetValue(_showLabels), _env.Time);
        var items = new List<IKubeObject>();
        var failures = new List<string>();
        long revision = 0;
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
                    failures.Add(_env.DescribeError(ex, parse));
                }
            }
        }
        else
        {
            var request = new ListRequest { Kind = kind.Kind, Namespace = ns, AllNamespaces = all, LabelSelector = parse.GetValue(_selector) ?? "", FieldSelector = fields };
            ListResponse list;
            try
            {
                list = await client.ListAsync(request, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument && (request.LabelSelector.Length > 0 || fields.Length > 0))
            {
                throw SelectorError(ex, kind, request.LabelSelector, fields);
            }

            items.AddRange(list.Items.Select(i => i.Unwrap()!));
            revision = list.ResourceVersion;
            if (kind.Kind == ResourceKind.Event)
            {
                items = EventText.ByLastSeen(items);
            }
        }

        // As kubectl: structured output of an empty list is an empty List, not a message.
        if (items.Count > 0 || (names.Count == 0 && !parse.GetValue(_watch) && format is OutputFormat.Json or OutputFormat.Yaml))
        {
            printer.Print(kind.Kind, items, single: names.Count == 1, _env.Output);
        }
        else if (names.Count == 0 && !parse.GetValue(_watch))
        {
            await _env.Error.WriteLineAsync(kind.Namespaced && !all ? $"No resources found in {ns} namespace." : "No resources found");
        }

        foreach (var failure in failures)
        {
            await _env.Error.WriteLineAsync(failure);
        }

        if (parse.GetValue(_watch))
        {
            await WatchAsync(client, kind, names, ns, all, parse.GetValue(_selector) ?? "", fields, revision, printer, items.Count == 0, cancellationToken);
        }

        return failures.Count == 0 ? ExitCodes.Success : ExitCodes.Error;
    }

    /// <summary>
    /// A server's refusal of a selector, worded as kubectl words it:
    /// <c>Unable to find "/v1, Resource=pods" that match label selector "", field selector "x=y": field label not supported: x</c>.
    /// </summary>
    internal static RpcException SelectorError(RpcException ex, ResourceKindInfo kind, string labelSelector, string fieldSelector)
    {
        var version = kind.ApiVersion.Contains('/', StringComparison.Ordinal) ? kind.ApiVersion : "/" + kind.ApiVersion;
        return new RpcException(new Status(ex.StatusCode,
            $"Unable to find \"{version}, Resource={kind.Plural}\" that match label selector \"{labelSelector}\", field selector \"{fieldSelector}\": {ex.Status.Detail}"));
    }

    private async Task WatchAsync(AdminService.AdminServiceClient client, ResourceKindInfo kind, IReadOnlyList<string> names, string ns, bool all, string selector,
        string fieldSelector, long revision, ResourcePrinter printer, bool header, CancellationToken cancellationToken)
    {
        var request = new WatchRequest
        {
            Kind = kind.Kind,
            Namespace = ns,
            AllNamespaces = all,
            LabelSelector = selector,
            FieldSelector = fieldSelector,
            Name = names.Count == 1 ? names[0] : "",
            ResourceVersion = revision,
        };
        using var call = client.Watch(request, cancellationToken: cancellationToken);
        try
        {
            await foreach (var e in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                printer.Print(kind.Kind, [e.Object.Unwrap()!], single: true, _env.Output, header);
                header = false;
                await _env.Output.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
