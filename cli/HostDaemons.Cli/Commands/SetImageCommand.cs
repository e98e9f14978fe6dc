using System.CommandLine;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl set image ds/NAME CONTAINER=IMAGE... | *=IMAGE</c>: kubectl set image for a DaemonSet's pod template.</summary>
internal sealed class SetImageCommand : Command
{
    private readonly Argument<string[]> _arguments = new Argument<string[]>("TYPE/NAME CONTAINER_NAME=CONTAINER_IMAGE...") { Arity = ArgumentArity.ZeroOrMore }.RejectingFlags();
    private readonly Option<string?> _dryRun = DryRunOption.Create();
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly CliEnvironment _env;

    public SetImageCommand(CliEnvironment env)
        : base("image", "Update the image of a pod template")
    {
        _env = env;
        Arguments.Add(_arguments);
        Options.Add(_dryRun);
        Options.Add(_namespace);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var arguments = parse.GetValue(_arguments) ?? [];
        var resources = arguments.TakeWhile(a => !a.Contains('=', StringComparison.Ordinal)).ToList();
        var pairs = arguments.Skip(resources.Count).ToList();
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<string>();
        if (resources.Count == 0)
        {
            errors.Add("one or more resources must be specified as <resource> <name> or <resource>/<name>");
        }

        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
            {
                throw new CliException($"error: invalid image update spec: {pair}");
            }

            images[pair[..equals]] = pair[(equals + 1)..];
        }

        if (images.Count == 0)
        {
            errors.Add("at least one image update is required");
        }
        else if (images.Count > 1 && images.ContainsKey("*"))
        {
            errors.Add("all containers are already specified by *, but saw more than one container_name=container_image pairs");
        }

        if (errors.Count > 0)
        {
            // kubectl's aggregate: one error as it is, several in brackets.
            throw new CliException($"error: {(errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]")}");
        }

        var (kind, name) = RolloutTarget.Parse(resources);
        if (kind.Kind != ResourceKind.DaemonSet)
        {
            throw new CliException($"error: {kind.QualifiedPlural}/{name} the object does not have a pod template: hdctl sets the images of daemonsets");
        }

        var (dryRun, warning) = DryRunOption.Parse(parse, _dryRun);
        if (warning is not null)
        {
            await _env.Error.WriteLineAsync(warning);
        }

        var ns = CommonOptions.EffectiveNamespace(parse.GetValue(_namespace));
        var client = _env.Connect(parse).Client;
        var reference = new ObjectReference { Kind = ResourceKind.DaemonSet, Namespace = ns, Name = name };
        var ds = (DaemonSet)(await client.GetAsync(new GetRequest { Ref = reference }, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken)).Unwrap()!;
        var containers = ds.Spec.Template.Spec.Containers.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (images.Keys.FirstOrDefault(k => k != "*" && !containers.Contains(k)) is { } unknown)
        {
            throw new CliException($"error: {ResourceKinds.DaemonSet.QualifiedPlural}/{name} unable to find container named \"{unknown}\"");
        }

        var request = new SetImageRequest { Namespace = ns, Name = name, DryRun = dryRun != DryRunStrategy.None };
        request.Images.Add(images);
        var response = await client.SetImageAsync(request, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);

        // As kubectl: nothing to change, nothing printed.
        if (response.Changed)
        {
            await _env.Output.WriteLineAsync($"daemonset.apps/{name} image updated{DryRunOption.Suffix(dryRun)}");
        }

        return ExitCodes.Success;
    }
}
