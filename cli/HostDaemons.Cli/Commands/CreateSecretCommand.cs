using System.CommandLine;
using HostDaemons.Cli.Client;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

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
    private readonly Option<string?> _output = FlagCreation.OutputOption();
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

    private Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var name = FlagCreation.SingleName(parse.GetValue(_name), "hdctl create secret docker-registry");
        var server = parse.GetValue(_server) ?? "";
        var username = parse.GetValue(_username) ?? "";
        var password = parse.GetValue(_password) ?? "";
        if (username.Length == 0 || password.Length == 0 || server.Length == 0)
        {
            throw new CliException("error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required");
        }

        var format = FlagCreation.ParseOutput(parse, _output);
        var secret = Build(name, CommonOptions.EffectiveNamespace(parse.GetValue(_namespace)), server, username, password, parse.GetValue(_email) ?? "");
        return FlagCreation.CreateAsync(_env, parse, secret, _dryRun, format, "failed to create secret ", cancellationToken);
    }
}
