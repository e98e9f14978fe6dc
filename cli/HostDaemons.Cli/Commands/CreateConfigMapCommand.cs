using System.CommandLine;
using HostDaemons.Cli.Client;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// <c>hdctl create configmap NAME [--from-literal=k=v] [--from-file=[key=]path] [--from-env-file=path]</c> (or <c>cm</c>):
/// a ConfigMap built as kubectl builds it (<see cref="ConfigMapSources"/>), with its messages.
/// </summary>
internal sealed class CreateConfigMapCommand : Command
{
    private const string CommandPath = "hdctl create configmap";

    private readonly Argument<string[]> _name = new Argument<string[]>("NAME") { Arity = ArgumentArity.ZeroOrMore, Description = "The ConfigMap's name" }.RejectingFlags();
    private readonly Option<string[]> _literals = new("--from-literal") { Description = "A key and literal value (key=value); may be repeated" };
    private readonly Option<string[]> _files = new("--from-file")
    {
        Description = "A file ([key=]path; the key defaults to the file's name), or a directory whose files are each a key; may be repeated",
    };

    private readonly Option<string[]> _envFiles = new("--from-env-file") { Description = "A file of KEY=value lines; may be repeated" };
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly Option<string?> _output = FlagCreation.OutputOption();
    private readonly Option<string?> _dryRun = DryRunOption.Create();
    private readonly CliEnvironment _env;

    public CreateConfigMapCommand(CliEnvironment env)
        : base("configmap", "Create a config map from a local file, directory or literal value")
    {
        _env = env;
        Aliases.Add("cm");
        Arguments.Add(_name);
        Options.Add(_literals);
        Options.Add(_files);
        Options.Add(_envFiles);
        Options.Add(_namespace);
        Options.Add(_output);
        Options.Add(_dryRun);
        SetAction(RunAsync);
    }

    private Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var name = FlagCreation.SingleName(parse.GetValue(_name), CommandPath);
        var format = FlagCreation.ParseOutput(parse, _output);
        var (literals, files, envFiles) = (parse.GetValue(_literals) ?? [], parse.GetValue(_files) ?? [], parse.GetValue(_envFiles) ?? []);
        if (envFiles.Length > 0 && (files.Length > 0 || literals.Length > 0))
        {
            throw new CliException("error: from-env-file cannot be combined with from-file or from-literal");
        }

        var cm = new ConfigMap
        {
            ApiVersion = ResourceKinds.ConfigMap.ApiVersion,
            Kind = ResourceKinds.ConfigMap.KindName,
            Metadata = new ObjectMeta { Name = name, Namespace = CommonOptions.EffectiveNamespace(parse.GetValue(_namespace)) },
        };
        foreach (var file in files)
        {
            ConfigMapSources.AddFile(cm, file);
        }

        foreach (var literal in literals)
        {
            ConfigMapSources.AddLiteral(cm, literal);
        }

        foreach (var envFile in envFiles)
        {
            ConfigMapSources.AddEnvFile(cm, envFile, _env.Variable);
        }

        return FlagCreation.CreateAsync(_env, parse, cm, _dryRun, format, "failed to create configmap: ", cancellationToken);
    }
}
