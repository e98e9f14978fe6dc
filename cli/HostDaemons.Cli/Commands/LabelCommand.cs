using System.CommandLine;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Objects;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl label TYPE NAME k=v... k- [--overwrite]</c>.</summary>
internal sealed class LabelCommand : Command
{
    private readonly Argument<string[]> _arguments = new Argument<string[]>("TYPE NAME KEY=VAL... KEY-") { Arity = ArgumentArity.OneOrMore }.RejectingFlags();
    private readonly Option<bool> _overwrite = new("--overwrite") { Description = "Allow labels to be overwritten, otherwise reject label updates that overwrite existing labels" };
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly CliEnvironment _env;

    public LabelCommand(CliEnvironment env)
        : base("label", "Update the labels on a resource")
    {
        _env = env;
        Arguments.Add(_arguments);
        Options.Add(_overwrite);
        Options.Add(_namespace);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var arguments = parse.GetValue(_arguments) ?? [];
        var isLabel = (string a) => a.Contains('=', StringComparison.Ordinal) || a.EndsWith('-');
        var resources = arguments.TakeWhile(a => !isLabel(a)).ToList();
        var labels = arguments.Skip(resources.Count).ToList();
        var (kind, names) = ResourceArguments.Parse(resources);
        if (names.Count == 0)
        {
            throw new CliException("error: resource(s) were provided, but no name was specified");
        }

        if (labels.Count == 0)
        {
            throw new CliException("error: at least one label update is required");
        }

        var request = new LabelRequest { Overwrite = parse.GetValue(_overwrite) };
        foreach (var label in labels)
        {
            if (label.Contains('=', StringComparison.Ordinal))
            {
                var equals = label.IndexOf('=', StringComparison.Ordinal);
                request.Set[label[..equals]] = label[(equals + 1)..];
            }
            else if (label.EndsWith('-') && label.Length > 1)
            {
                request.Remove.Add(label[..^1]);
            }
            else
            {
                throw new CliException($"error: invalid label spec: {label}");
            }
        }

        var client = _env.Connect(parse).Client;
        var ns = CommonOptions.EffectiveNamespace(parse.GetValue(_namespace));
        foreach (var name in names)
        {
            var perObject = request.Clone();
            perObject.Ref = new ObjectReference { Kind = kind.Kind, Namespace = ns, Name = name };
            var response = await client.LabelAsync(perObject, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
            foreach (var warning in response.Warnings)
            {
                await _env.Error.WriteLineAsync($"Warning: {warning}");
            }

            var target = response.Object.Unwrap()!;
            await _env.Output.WriteLineAsync($"{ResourcePrinter.NameOf(target)} {(response.Changed ? "labeled" : "not labeled")}");
        }

        return ExitCodes.Success;
    }
}
