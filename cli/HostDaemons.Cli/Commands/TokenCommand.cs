using System.CommandLine;
using System.Globalization;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Printing;
using HostDaemons.Model.Quantities;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// <c>hdctl token create|list|delete</c>: join tokens, as <c>kubeadm token</c> manages bootstrap tokens. The secret is
/// printed once, by create; list never shows it.
/// </summary>
internal sealed class TokenCommand : Command
{
    public TokenCommand(CliEnvironment env)
        : base("token", "Manage join tokens, which let new hosts join the cluster")
    {
        Subcommands.Add(new TokenCreateCommand(env));
        Subcommands.Add(new TokenListCommand(env));
        Subcommands.Add(new TokenDeleteCommand(env));
    }
}

/// <summary><c>hdctl token create [--ttl 24h] [--node-name NAME] [--description TEXT]</c>: prints the token, and only the token, on stdout.</summary>
internal sealed class TokenCreateCommand : Command
{
    private readonly Option<string> _ttl = new("--ttl") { Description = "How long the token is valid", DefaultValueFactory = _ => "24h" };
    private readonly Option<string?> _nodeName = new("--node-name") { Description = "Only a host joining with this node name may use the token (and it may take over the name)" };
    private readonly Option<string?> _description = new("--description") { Description = "A human-friendly description of how this token is used" };
    private readonly CliEnvironment _env;

    public TokenCreateCommand(CliEnvironment env)
        : base("create", "Create a join token: HD1-<CA pin>-<id>.<secret>")
    {
        _env = env;
        Options.Add(_ttl);
        Options.Add(_nodeName);
        Options.Add(_description);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var ttlText = parse.GetValue(_ttl) ?? "24h";
        if (!GoDuration.TryParse(ttlText, out var ttl) || ttl <= TimeSpan.Zero)
        {
            throw new CliException($"error: invalid argument \"{ttlText}\" for \"--ttl\" flag: a duration more than 0, such as 24h or 30m");
        }

        var request = new CreateJoinTokenRequest
        {
            TtlSeconds = (long)Math.Ceiling(ttl.TotalSeconds),
            NodeName = parse.GetValue(_nodeName) ?? "",
            Description = parse.GetValue(_description) ?? "",
        };
        var response = await _env.Connect(parse).JoinAdmin.CreateJoinTokenAsync(request, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        await _env.Output.WriteLineAsync(response.Token);
        return ExitCodes.Success;
    }
}

/// <summary><c>hdctl token list</c>: <c>ID TTL EXPIRES NODE NAME USAGES DESCRIPTION</c>, never the secrets.</summary>
internal sealed class TokenListCommand : Command
{
    private readonly CliEnvironment _env;

    public TokenListCommand(CliEnvironment env)
        : base("list", "List join tokens")
    {
        _env = env;
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var response = await _env.Connect(parse).JoinAdmin.ListJoinTokensAsync(new ListJoinTokensRequest(), deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
        if (response.Tokens.Count == 0)
        {
            await _env.Error.WriteLineAsync("No join tokens found.");
            return ExitCodes.Success;
        }

        var table = new TableWriter();
        table.AddRow("ID", "TTL", "EXPIRES", "NODE NAME", "USAGES", "DESCRIPTION");
        var now = _env.Time.GetUtcNow();
        foreach (var token in response.Tokens)
        {
            var expires = token.Expires.ToDateTimeOffset();
            table.AddRow(
                token.Id,
                expires <= now ? "<expired>" : HumanDuration.Format(expires - now),
                expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                OrNone(token.NodeName),
                OrNone(string.Join(",", token.Usages)),
                OrNone(token.Description));
        }

        table.WriteTo(_env.Output);
        return ExitCodes.Success;
    }

    private static string OrNone(string value) => value.Length == 0 ? "<none>" : value;
}

/// <summary><c>hdctl token delete ID...</c>: accepts the id or the whole token.</summary>
internal sealed class TokenDeleteCommand : Command
{
    private readonly Argument<string[]> _ids = new Argument<string[]>("ID") { Arity = ArgumentArity.OneOrMore }.RejectingFlags();
    private readonly CliEnvironment _env;

    public TokenDeleteCommand(CliEnvironment env)
        : base("delete", "Delete join tokens; hosts already joined keep their certificates")
    {
        _env = env;
        Arguments.Add(_ids);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var client = _env.Connect(parse).JoinAdmin;
        foreach (var id in parse.GetValue(_ids) ?? [])
        {
            await client.DeleteJoinTokenAsync(new DeleteJoinTokenRequest { Id = id }, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
            var shown = Model.Security.JoinToken.TryParse(id, out var token, out _) ? token.Id : id;
            await _env.Output.WriteLineAsync($"bootstrap token \"{shown}\" deleted");
        }

        return ExitCodes.Success;
    }
}
