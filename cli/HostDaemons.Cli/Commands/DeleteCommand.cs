using System.CommandLine;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Manifests;
using HostDaemons.Model.Labels;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Quantities;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// <c>hdctl delete TYPE NAME... | TYPE -l SELECTOR | TYPE --all [-A] | -f FILE</c> with kubectl's <c>--cascade</c>. A
/// collection is deleted as kubectl deletes one: listed with the selector, then each object deleted and reported.
/// </summary>
internal sealed class DeleteCommand : Command
{
    private readonly Argument<string[]> _resources = new Argument<string[]>("TYPE[/NAME]") { Arity = ArgumentArity.ZeroOrMore, Description = "The resource type and names" }.RejectingFlags();
    private readonly Option<string[]> _files = CommonOptions.Filenames("Files, directories or - (stdin) naming the objects to delete");
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly Option<string> _cascade = new("--cascade")
    {
        Description = "background (default): delete the pods after the object; foreground: delete the object after its pods; orphan: leave the pods running",
        DefaultValueFactory = _ => "background",
    };

    private readonly Option<string?> _selector = new("--selector", "-l") { Description = "Delete the objects whose labels match (k=v, k!=v, k in (a,b), k, !k)" };
    private readonly Option<string?> _fieldSelector = CommonOptions.FieldSelector();
    private readonly Option<bool> _all = new("--all") { Description = "Delete every object of the type in the namespace" };
    private readonly Option<bool> _allNamespaces = new("--all-namespaces", "-A") { Description = "With --selector or --all: in every namespace" };
    private readonly Option<bool> _wait = new("--wait") { Description = "Wait for the objects to be gone before returning", DefaultValueFactory = _ => true };
    private readonly Option<string> _timeout = new("--timeout") { Description = "How long to wait before giving up (0s: no limit)", DefaultValueFactory = _ => "0s" };
    private readonly Option<int> _gracePeriod = new("--grace-period")
    {
        Description = "Seconds a pod's containers get to stop; -1 uses the pod's terminationGracePeriodSeconds",
        DefaultValueFactory = _ => -1,
    };

    private readonly Option<bool> _now = new("--now") { Description = "Stop at once (a grace period of 1 second)" };

    private readonly Option<bool> _force = new("--force")
    {
        Description = "With --grace-period=0 (the default with --force): kill a pod's containers at once, and remove a pod whose node is not Ready without waiting for it",
    };

    private readonly CliEnvironment _env;

    public DeleteCommand(CliEnvironment env)
        : base("delete", "Delete resources by file names, stdin or resource and names")
    {
        _env = env;
        Arguments.Add(_resources);
        Options.Add(_files);
        Options.Add(_namespace);
        Options.Add(_cascade);
        Options.Add(_selector);
        Options.Add(_fieldSelector);
        Options.Add(_all);
        Options.Add(_allNamespaces);
        Options.Add(_wait);
        Options.Add(_timeout);
        Options.Add(_gracePeriod);
        Options.Add(_now);
        Options.Add(_force);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var policy = parse.GetValue(_cascade) switch
        {
            "background" or "true" => "Background",
            "foreground" => "Foreground",
            "orphan" or "false" => "Orphan",
            var other => throw new CliException($"error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""),
        };
        var grace = GracePeriod(parse);
        var force = parse.GetValue(_force);
        if (force)
        {
            await _env.Error.WriteLineAsync(
                "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
        }

        if (!GoDuration.TryParse(parse.GetValue(_timeout) ?? "", out var timeout))
        {
            throw new CliException($"error: invalid argument \"{parse.GetValue(_timeout)}\" for \"--timeout\" flag: time: invalid duration");
        }

        var (targets, collection) = Targets(parse);
        var client = _env.Connect(parse).Client;
        if (collection is not null)
        {
            targets = await ListAsync(client, collection, cancellationToken);
            if (targets.Count == 0)
            {
                await _env.Output.WriteLineAsync("No resources found");
                return ExitCodes.Success;
            }
        }

        var failed = false;
        var deleted = new List<(ResourceKindInfo Kind, IKubeObject Deleted)>();
        foreach (var (kind, ns, name) in targets)
        {
            try
            {
                var request = new DeleteRequest { Ref = new ObjectReference { Kind = kind.Kind, Namespace = ns, Name = name }, PropagationPolicy = policy, Force = force };
                if (grace is { } seconds)
                {
                    request.GracePeriodSeconds = seconds;
                }

                if (await DeleteOneAsync(client, request, kind, _env.Output, _env.Error, cancellationToken) is { } value)
                {
                    deleted.Add((kind, value));
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound && collection is not null)
            {
                // Listed, then deleted by someone else: kubectl ignores what is already gone when deleting a collection.
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
                failed = true;
                await _env.Error.WriteLineAsync(_env.DescribeError(ex, parse));
            }
        }

        if (parse.GetValue(_wait) && deleted.Count > 0)
        {
            await _env.Output.FlushAsync(cancellationToken);
            await DeletionWaiter.WaitAsync(client, deleted, timeout, cancellationToken);
        }

        return failed ? ExitCodes.Error : ExitCodes.Success;
    }

    /// <summary>
    /// Deletes one object and says so as kubectl does: the server's warnings first (<c>Warning: ...</c> on stderr), then
    /// <c>pod "x" deleted</c>. Returns the object <c>--wait</c> waits for; none for a mirror pod, which its node's agent
    /// has back at once, under the same uid.
    /// </summary>
    internal static async Task<IKubeObject?> DeleteOneAsync(AdminService.AdminServiceClient client, DeleteRequest request, ResourceKindInfo kind,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var response = await client.DeleteAsync(request, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        foreach (var warning in response.Warnings)
        {
            await error.WriteLineAsync($"Warning: {warning}");
        }

        await output.WriteLineAsync($"{kind.QualifiedSingular} \"{request.Ref.Name}\" deleted");
        var value = response.Object?.Unwrap();
        return value is Pod pod && pod.IsMirror() ? null : value;
    }

    /// <summary>kubectl's rules: -1 is the pod's own (0 with <c>--force</c>), <c>--now</c> is 1, and 0 without <c>--force</c> becomes 1.</summary>
    private long? GracePeriod(ParseResult parse)
    {
        var grace = parse.GetValue(_gracePeriod);
        var force = parse.GetValue(_force);
        if (parse.GetValue(_now))
        {
            if (grace >= 0)
            {
                throw new CliException("error: --now and --grace-period cannot be specified together");
            }

            return 1;
        }

        return (grace, force) switch
        {
            ( < 0, true) => 0,
            ( < 0, false) => null,
            (0, false) => 1,
            _ => grace,
        };
    }

    /// <summary>
    /// The objects of every namespace, or one, whose labels match: what <c>-l</c> or <c>--all</c> deletes.
    /// </summary>
    private sealed record Collection(ResourceKindInfo Kind, string Namespace, bool AllNamespaces, string Selector, string FieldSelector);

    private static async Task<List<(ResourceKindInfo Kind, string Namespace, string Name)>> ListAsync(AdminService.AdminServiceClient client, Collection collection,
        CancellationToken cancellationToken)
    {
        var request = new ListRequest
        {
            Kind = collection.Kind.Kind,
            Namespace = collection.Namespace,
            AllNamespaces = collection.AllNamespaces,
            LabelSelector = collection.Selector,
            FieldSelector = collection.FieldSelector,
        };
        var list = await client.ListAsync(request, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        return [.. list.Items.Select(o => o.Unwrap()).OfType<IKubeObject>().Select(o => (collection.Kind, o.Metadata.Namespace, o.Metadata.Name))];
    }

    private (List<(ResourceKindInfo Kind, string Namespace, string Name)> Targets, Collection? Collection) Targets(ParseResult parse)
    {
        var ns = CommonOptions.EffectiveNamespace(parse.GetValue(_namespace));
        var files = parse.GetValue(_files) ?? [];
        var resources = parse.GetValue(_resources) ?? [];
        var selector = parse.GetValue(_selector);
        var fields = parse.GetValue(_fieldSelector) ?? "";
        var all = parse.GetValue(_all);
        var allNamespaces = parse.GetValue(_allNamespaces);
        LabelQuery? query = null;
        if (selector is not null)
        {
            if (all)
            {
                throw new CliException("error: cannot set --all and --selector at the same time");
            }

            query = LabelQuery.TryParse(selector, out var parsed, out var problem) ? parsed : throw new CliException($"error: {problem}");
        }

        if (all && fields.Length > 0)
        {
            throw new CliException("error: cannot set --all and --field-selector at the same time");
        }

        if (files.Length > 0)
        {
            if (resources.Length > 0)
            {
                throw new CliException("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form or with -f");
            }

            var read = ManifestFiles.Read(files, _env.Input, _env.Error);
            var fatal = read.Problems.Count > 0 ? read.Problems[0] : null;
            if (read.Objects.Count == 0 && fatal is not null)
            {
                throw new CliException($"error: {fatal}");
            }

            // With -l, kubectl deletes only the file's objects whose labels match.
            return ([.. read.Objects
                .Where(o => query is null || query.Matches(o.Value.Metadata.Labels))
                .Select(o => (o.Kind, string.IsNullOrEmpty(o.Value.Metadata.Namespace) ? ns : o.Value.Metadata.Namespace, o.Value.Metadata.Name))], null);
        }

        var (kind, names) = ResourceArguments.Parse(resources);
        if (names.Count > 0 && (query is not null || fields.Length > 0))
        {
            throw new CliException("error: name cannot be provided when a selector is specified");
        }

        if (names.Count == 0 && (query is not null || fields.Length > 0 || all))
        {
            return ([], new Collection(kind, ns, allNamespaces, selector ?? "", fields));
        }

        if (names.Count == 0)
        {
            throw new CliException("error: resource(s) were provided, but no name was specified");
        }

        if (allNamespaces)
        {
            throw new CliException("error: a resource cannot be retrieved by name across all namespaces");
        }

        return ([.. names.Select(n => (kind, ns, n))], null);
    }
}
