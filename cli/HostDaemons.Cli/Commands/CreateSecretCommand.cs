using System.CommandLine;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;
using HostDaemons.Model.Validation;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl create secret</c>: the kinds of secret kubectl creates from flags that HostDaemons uses.</summary>
internal sealed class CreateSecretCommand : Command
{
    public CreateSecretCommand(CliEnvironment env)
        : base("secret", "Create a secret from flags: docker-registry")
    {
        Subcommands.Add(new CreateDockerRegistrySecretCommand(env));
    }
}

/// <summary>
/// <c>hdctl create secret docker-registry NAME --docker-server=S --docker-username=U --docker-password=P</c>: a
/// <c>kubernetes.io/dockerconfigjson</c> secret holding what <c>docker login</c> would write, as kubectl builds it,
/// for pods to name in <c>imagePullSecrets</c>.
/// </summary>
internal sealed class CreateDockerRegistrySecretCommand : Command
{
    /// <summary>kubectl's default server: Docker Hub.</summary>
    public const string DefaultServer = "https://index.docker.io/v1/";

    private const string Usage = "See 'hdctl create secret docker-registry --help' for usage.";

    private readonly Argument<string[]> _name = new Argument<string[]>("NAME") { Arity = ArgumentArity.ZeroOrMore, Description = "The secret's name" }.RejectingFlags();
    private readonly Option<string> _server = new("--docker-server")
    {
        Description = $"Server location for the registry (default {DefaultServer})",
        DefaultValueFactory = _ => DefaultServer,
    };

    private readonly Option<string?> _username = new("--docker-username") { Description = "Username for the registry" };
    private readonly Option<string?> _password = new("--docker-password") { Description = "Password for the registry" };
    private readonly Option<string?> _email = new("--docker-email") { Description = "Email for the registry" };
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly Option<string?> _output = new("--output", "-o") { Description = "Output format: json, yaml or name" };
    private readonly Option<string?> _dryRun = DryRunOption.Create();

    private readonly CliEnvironment _env;

    public CreateDockerRegistrySecretCommand(CliEnvironment env)
        : base("docker-registry", "Create a secret for use with a Docker registry")
    {
        _env = env;
        Arguments.Add(_name);
        Options.Add(_server);
        Options.Add(_username);
        Options.Add(_password);
        Options.Add(_email);
        Options.Add(_namespace);
        Options.Add(_output);
        Options.Add(_dryRun);
        SetAction(RunAsync);
    }

    /// <summary>The secret kubectl would send: type, namespace and the one <c>.dockerconfigjson</c> key.</summary>
    public static Secret Build(string name, string @namespace, string server, string username, string password, string email)
    {
        var secret = new Secret
        {
            ApiVersion = ResourceKinds.Secret.ApiVersion,
            Kind = ResourceKinds.Secret.KindName,
            Metadata = new ObjectMeta { Name = name, Namespace = @namespace },
            Type = SecretTypes.DockerConfigJson,
        };
        secret.Data[SecretTypes.DockerConfigJsonKey] = Google.Protobuf.ByteString.CopyFrom(DockerConfigJson.Build(server, username, password, email));
        return secret;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var names = parse.GetValue(_name) ?? [];
        if (names.Length != 1)
        {
            throw new CliException($"error: exactly one NAME is required, got {names.Length}\n{Usage}");
        }

        var server = parse.GetValue(_server) ?? "";
        var username = parse.GetValue(_username) ?? "";
        var password = parse.GetValue(_password) ?? "";
        if (username.Length == 0 || password.Length == 0 || server.Length == 0)
        {
            throw new CliException("error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required");
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

        var secret = Build(names[0], CommonOptions.EffectiveNamespace(parse.GetValue(_namespace)), server, username, password, parse.GetValue(_email) ?? "");
        ObjectValidator.ApplyDefaults(secret);
        var errors = ObjectValidator.Validate(secret);
        if (errors.Count > 0)
        {
            throw new CliException($"error: failed to create secret {ServerMessage(ValidationErrors.Summarize(ResourceKinds.Secret.KindName, names[0], errors))}");
        }

        if (dryRun != DryRunStrategy.Client)
        {
            try
            {
                var response = await _env.Connect(parse).Client.ApplyAsync(new ApplyRequest { Object = secret.Wrap(), Mode = ApplyMode.Create, DryRun = dryRun == DryRunStrategy.Server },
                    deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
                secret = response.Object.Secret;
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.AlreadyExists or StatusCode.InvalidArgument)
            {
                throw new CliException($"error: failed to create secret {ServerMessage(ex.Status.Detail)}");
            }
        }

        if (format is OutputFormat.Yaml or OutputFormat.Json or OutputFormat.Name)
        {
            new ResourcePrinter(format, withNamespace: false, showLabels: false, _env.Time).Print(ResourceKind.Secret, [secret], single: true, _env.Output);
        }
        else
        {
            await _env.Output.WriteLineAsync($"{ResourcePrinter.NameOf(secret)} created{DryRunOption.Suffix(dryRun)}");
        }

        return ExitCodes.Success;
    }

    /// <summary>The API server's wording, which kubectl prints after "failed to create secret": without apply's "The ".</summary>
    private static string ServerMessage(string detail) =>
        detail.StartsWith("The ", StringComparison.Ordinal) ? detail[4..] : detail;
}
