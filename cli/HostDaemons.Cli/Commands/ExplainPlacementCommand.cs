using System.CommandLine;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Manifests;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// <c>hdctl explain-placement ds/NAME</c> (or <c>-f FILE</c> for DaemonSets not applied yet): every node, whether the
/// daemon runs there, and the first rule that decided it, from the same code the control plane places pods with.
/// Beyond kubectl.
/// </summary>
internal sealed class ExplainPlacementCommand : Command
{
    private readonly Argument<string[]> _resources = new Argument<string[]>("ds/NAME") { Arity = ArgumentArity.ZeroOrMore }.RejectingFlags();
    private readonly Option<string[]> _files = CommonOptions.Filenames("Files, directories or - (stdin) holding DaemonSet manifests to preview");
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly CliEnvironment _env;

    public ExplainPlacementCommand(CliEnvironment env)
        : base("explain-placement", "Show on which nodes a daemonset runs, and why not on the others")
    {
        _env = env;
        Arguments.Add(_resources);
        Options.Add(_files);
        Options.Add(_namespace);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var ns = CommonOptions.EffectiveNamespace(parse.GetValue(_namespace));
        var arguments = parse.GetValue(_resources) ?? [];
        var files = parse.GetValue(_files) ?? [];
        var requests = new List<(string Title, ExplainPlacementRequest Request)>();
        if (files.Length > 0)
        {
            var read = ManifestFiles.Read(files, _env.Input, _env.Error);
            if (!read.Succeeded)
            {
                throw new CliException(string.Join("\n", read.Problems.Select(p => $"error: {p}")));
            }

            ApplyCommand.UseNamespace(read.Objects, parse.GetValue(_namespace));
            foreach (var item in read.Objects.Where(o => o.Value is DaemonSet))
            {
                requests.Add((ResourcePrinter.NameOf(item.Value), new ExplainPlacementRequest { Object = item.AsWritten.Wrap() }));
            }
        }

        if (arguments.Length > 0)
        {
            var (kind, names) = ResourceArguments.Parse(arguments);
            if (kind.Kind != ResourceKind.DaemonSet)
            {
                throw new CliException($"error: placement is explained for daemonsets, not {kind.Plural}");
            }

            foreach (var name in names)
            {
                var reference = new ObjectReference { Kind = ResourceKind.DaemonSet, Namespace = ns, Name = name };
                requests.Add(($"daemonset.apps/{name}", new ExplainPlacementRequest { Ref = reference }));
            }
        }

        if (requests.Count == 0)
        {
            throw new CliException("error: you must specify a daemonset (ds/NAME) or -f FILE holding one");
        }

        var client = _env.Connect(parse).Client;
        for (var i = 0; i < requests.Count; i++)
        {
            var (title, request) = requests[i];
            var placement = await client.ExplainPlacementAsync(request, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
            await WriteAsync(title, placement, _env.Output, separate: i > 0);
        }

        return ExitCodes.Success;
    }

    /// <summary>The object's name and summary, then the table; a blank line before every object but the first.</summary>
    internal static async Task WriteAsync(string title, ExplainPlacementResponse placement, TextWriter output, bool separate)
    {
        if (separate)
        {
            await output.WriteLineAsync();
        }

        await output.WriteLineAsync($"{title}: {PlacementPrinter.Summary(placement)}");
        PlacementPrinter.WriteTable(placement, output);
    }
}
