using System.CommandLine;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Rbac;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl auth can-i</c> and <c>hdctl auth whoami</c>, as kubectl's.</summary>
internal sealed class AuthCommand : Command
{
    public AuthCommand(CliEnvironment env)
        : base("auth", "Inspect authorization")
    {
        Subcommands.Add(new CanICommand(env));
        Subcommands.Add(new WhoAmICommand(env));
    }
}

/// <summary>
/// <c>hdctl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [NAME]</c>: <c>yes</c> (exit 0) or <c>no</c> (exit 1)
/// for the caller, or whom <c>--as</c> names; <c>--list</c> prints every rule held in the namespace.
/// </summary>
internal sealed class CanICommand : Command
{
    private readonly Argument<string[]> _arguments = new Argument<string[]>("VERB [TYPE | TYPE/NAME | NONRESOURCEURL]") { Arity = ArgumentArity.ZeroOrMore }.RejectingFlags();
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly Option<bool> _allNamespaces = new("--all-namespaces", "-A") { Description = "If true, check the specified action in all namespaces." };
    private readonly Option<bool> _list = new("--list") { Description = "If true, prints all allowed actions." };
    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "If true, suppress output and just return the exit code." };
    private readonly Option<string?> _subresource = new("--subresource") { Description = "SubResource such as pod/log or deployment/scale" };
    private readonly Option<bool> _noHeaders = new("--no-headers") { Description = "If true, prints allowed actions without headers" };
    private readonly CliEnvironment _env;

    public CanICommand(CliEnvironment env)
        : base("can-i", "Check whether an action is allowed")
    {
        _env = env;
        Arguments.Add(_arguments);
        Options.Add(_namespace);
        Options.Add(_allNamespaces);
        Options.Add(_list);
        Options.Add(_quiet);
        Options.Add(_subresource);
        Options.Add(_noHeaders);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var arguments = parse.GetValue(_arguments) ?? [];
        var ns = parse.GetValue(_allNamespaces) ? "" : CommonOptions.EffectiveNamespace(parse.GetValue(_namespace));
        var client = _env.Connect(parse).Client;
        if (parse.GetValue(_list))
        {
            if (arguments.Length > 0)
            {
                throw new CliException("error: list option must be specified with no arguments");
            }

            var rules = await client.RulesReviewAsync(new RulesReviewRequest { Namespace = ns }, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
            await _env.Output.WriteAsync(RulesTable(rules, parse.GetValue(_noHeaders)));
            if (rules.Incomplete)
            {
                await _env.Error.WriteLineAsync($"Warning: the list may be incomplete: {rules.EvaluationError}");
            }

            return ExitCodes.Success;
        }

        if (arguments.Length is < 2 or > 3)
        {
            throw new CliException("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'hdctl auth can-i -h' for help and examples.");
        }

        var request = ReviewRequest(arguments, ns, parse.GetValue(_subresource) ?? "", out var warning);
        if (warning is not null)
        {
            await _env.Error.WriteLineAsync(warning);
        }

        var response = await client.AccessReviewAsync(request, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        if (!parse.GetValue(_quiet))
        {
            await _env.Output.WriteLineAsync(response.Allowed ? "yes" : response.Reason.Length > 0 ? $"no - {response.Reason}" : "no");
        }

        return response.Allowed ? ExitCodes.Success : ExitCodes.Error;
    }

    /// <summary>The question in the server's terms: the resource's plural and group from any name kubectl accepts, and a subresource after the slash where the kind has one.</summary>
    internal static AccessReviewRequest ReviewRequest(string[] arguments, string ns, string subresource, out string? warning)
    {
        warning = null;
        var request = new AccessReviewRequest { Verb = arguments[0] };
        var target = arguments[1];
        if (target.StartsWith('/'))
        {
            request.NonResourcePath = target;
            return request;
        }

        var slash = target.IndexOf('/', StringComparison.Ordinal);
        var noun = slash < 0 ? target : target[..slash];
        var after = slash < 0 ? "" : target[(slash + 1)..];
        if (ResourceKinds.FindByNoun(noun) is { } kind)
        {
            request.Resource = kind.Plural;
            request.ApiGroup = kind.Group;
            request.Namespace = kind.Namespaced ? ns : "";
            if (after.Length > 0 && Subresources.Of(kind.Kind).Contains(after))
            {
                subresource = after;
                after = "";
            }
        }
        else
        {
            var dot = noun.IndexOf('.', StringComparison.Ordinal);
            request.Resource = dot < 0 ? noun : noun[..dot];
            request.ApiGroup = dot < 0 ? "" : noun[(dot + 1)..];
            request.Namespace = ns;
            if (noun != "*")
            {
                warning = $"Warning: the server doesn't have a resource type '{noun}'";
            }
        }

        request.Subresource = subresource;
        request.Name = after.Length > 0 ? after : arguments.Length == 3 ? arguments[2] : "";
        return request;
    }

    /// <summary>kubectl's <c>--list</c> table: the rules broken down, compacted and sorted, one line per rule.</summary>
    internal static string RulesTable(RulesReviewResponse response, bool noHeaders)
    {
        var rules = response.ResourceRules.Concat(response.NonResourceRules).SelectMany(PolicyRuleForms.Breakdown);
        var table = new TableWriter();
        if (!noHeaders)
        {
            table.AddRow("Resources", "Non-Resource URLs", "Resource Names", "Verbs");
        }

        foreach (var rule in PolicyRuleForms.Compact(rules))
        {
            table.AddRow(PolicyRuleForms.CombineResourceGroup(rule.Resources, rule.ApiGroups), PolicyRuleForms.GoSlice(rule.NonResourceUrls),
                PolicyRuleForms.GoSlice(rule.ResourceNames), PolicyRuleForms.GoSlice(rule.Verbs));
        }

        using var text = new StringWriter { NewLine = "\n" };
        table.WriteTo(text);
        return text.ToString();
    }

    /// <summary>The subresources HostDaemons' kinds have, so <c>pods/log</c> asks about the log rather than a pod named "log".</summary>
    private static class Subresources
    {
        public static IReadOnlyList<string> Of(Model.V1.ResourceKind kind) => kind switch
        {
            Model.V1.ResourceKind.Pod => ["log", "status", "exec", "attach", "portforward", "proxy", "eviction"],
            Model.V1.ResourceKind.DaemonSet => ["status"],
            Model.V1.ResourceKind.Namespace => ["status", "finalize", "podsecurity"],
            Model.V1.ResourceKind.Node => ["status", "proxy"],
            Model.V1.ResourceKind.Service => ["status", "proxy"],
            Model.V1.ResourceKind.ServiceAccount => ["token"],
            _ => [],
        };
    }
}

/// <summary><c>hdctl auth whoami</c>: the user and groups the server sees.</summary>
internal sealed class WhoAmICommand : Command
{
    private readonly CliEnvironment _env;

    public WhoAmICommand(CliEnvironment env)
        : base("whoami", "Experimental: Check self subject attributes")
    {
        _env = env;
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var response = await _env.Connect(parse).Client.WhoAmIAsync(new WhoAmIRequest(), deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        var table = new TableWriter();
        table.AddRow("ATTRIBUTE", "VALUE");
        table.AddRow("Username", response.Username);
        if (response.Groups.Count > 0)
        {
            table.AddRow("Groups", PolicyRuleForms.GoSlice(response.Groups));
        }

        table.WriteTo(_env.Output);
        return ExitCodes.Success;
    }
}
