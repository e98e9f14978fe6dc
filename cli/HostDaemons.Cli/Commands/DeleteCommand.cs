using System.CommandLine;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Manifests;
using HostDaemons.Model.Objects;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl delete TYPE NAME... | -f FILE</c> with kubectl's <c>--cascade</c>.</summary>
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

    private readonly CliEnvironment _env;

    public DeleteCommand(CliEnvironment env)
        : base("delete", "Delete resources by file names, stdin or resource and names")
    {
        _env = env;
        Arguments.Add(_resources);
        Options.Add(_files);
        Options.Add(_namespace);
        Options.Add(_cascade);
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
        var targets = Targets(parse);
        var client = _env.Connect(parse).Client;
        var failed = false;
        foreach (var (kind, ns, name) in targets)
        {
            try
            {
                await client.DeleteAsync(new DeleteRequest { Ref = new ObjectReference { Kind = kind.Kind, Namespace = ns, Name = name }, PropagationPolicy = policy },
                    deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
                await _env.Output.WriteLineAsync($"{kind.QualifiedSingular} \"{name}\" deleted");
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
                failed = true;
                await _env.Error.WriteLineAsync(ServerErrors.Describe(ex, _env.ServerFor(parse)));
            }
        }

        return failed ? ExitCodes.Error : ExitCodes.Success;
    }

    private List<(ResourceKindInfo Kind, string Namespace, string Name)> Targets(ParseResult parse)
    {
        var ns = CommonOptions.EffectiveNamespace(parse.GetValue(_namespace));
        var files = parse.GetValue(_files) ?? [];
        var resources = parse.GetValue(_resources) ?? [];
        if (files.Length > 0)
        {
            if (resources.Length > 0)
            {
                throw new CliException("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form or with -f");
            }

            var read = ManifestFiles.Read(files, _env.Input);
            var fatal = read.Problems.Count > 0 ? read.Problems[0] : null;
            if (read.Objects.Count == 0 && fatal is not null)
            {
                throw new CliException($"error: {fatal}");
            }

            return [.. read.Objects.Select(o => (o.Kind, string.IsNullOrEmpty(o.Value.Metadata.Namespace) ? ns : o.Value.Metadata.Namespace, o.Value.Metadata.Name))];
        }

        var (kind, names) = ResourceArguments.Parse(resources);
        if (names.Count == 0)
        {
            throw new CliException("error: resource(s) were provided, but no name was specified");
        }

        return [.. names.Select(n => (kind, ns, n))];
    }
}
