using System.CommandLine;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl create namespace NAME</c> (or <c>ns</c>): a new, empty namespace, as kubectl creates it.</summary>
internal sealed class CreateNamespaceCommand : Command
{
    private const string Usage = "See 'hdctl create namespace --help' for usage.";

    private readonly Argument<string[]> _name = new Argument<string[]>("NAME") { Arity = ArgumentArity.ZeroOrMore, Description = "The namespace's name" }.RejectingFlags();
    private readonly Option<string?> _output = new("--output", "-o") { Description = "Output format: json, yaml or name" };
    private readonly Option<string?> _dryRun = DryRunOption.Create();

    private readonly CliEnvironment _env;

    public CreateNamespaceCommand(CliEnvironment env)
        : base("namespace", "Create a namespace with the specified name")
    {
        _env = env;
        Aliases.Add("ns");
        Arguments.Add(_name);
        Options.Add(_output);
        Options.Add(_dryRun);
        SetAction(RunAsync);
    }

    /// <summary>The namespace kubectl sends: only a name; the server adds its defaults.</summary>
    public static Namespace Build(string name) => new()
    {
        ApiVersion = ResourceKinds.Namespace.ApiVersion,
        Kind = ResourceKinds.Namespace.KindName,
        Metadata = new ObjectMeta { Name = name },
    };

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var names = parse.GetValue(_name) ?? [];
        if (names.Length != 1)
        {
            throw new CliException($"error: exactly one NAME is required, got {names.Length}\n{Usage}");
        }

        if (!OutputFormats.TryParse(parse.GetValue(_output), out var format) || format == OutputFormat.Wide)
        {
            throw new CliException($"error: unable to match a printer suitable for the output format \"{parse.GetValue(_output)}\", allowed formats are: json, yaml, name");
        }

        var (dryRun, warning) = DryRunOption.Parse(parse, _dryRun);
        if (warning is not null)
        {
            await _env.Error.WriteLineAsync(warning);
        }

        var value = Build(names[0]);
        var defaulted = value.Clone();
        ObjectValidator.ApplyDefaults(defaulted);
        var errors = ObjectValidator.Validate(defaulted);
        if (errors.Count > 0)
        {
            throw new CliException(ValidationErrors.Summarize(ResourceKinds.Namespace.KindName, names[0], errors));
        }

        if (dryRun != DryRunStrategy.Client)
        {
            var response = await _env.Connect(parse).Client.ApplyAsync(new ApplyRequest { Object = value.Wrap(), Mode = ApplyMode.Create, DryRun = dryRun == DryRunStrategy.Server },
                deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
            value = response.Object.Namespace;
        }

        if (format is OutputFormat.Yaml or OutputFormat.Json or OutputFormat.Name)
        {
            new ResourcePrinter(format, withNamespace: false, showLabels: false, _env.Time).Print(ResourceKind.Namespace, [value], single: true, _env.Output);
        }
        else
        {
            await _env.Output.WriteLineAsync($"{ResourcePrinter.NameOf(value)} created{DryRunOption.Suffix(dryRun)}");
        }

        return ExitCodes.Success;
    }
}
