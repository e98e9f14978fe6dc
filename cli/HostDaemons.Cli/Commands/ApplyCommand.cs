using System.CommandLine;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Manifests;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Objects;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// <c>hdctl apply -f</c> and <c>hdctl create -f</c>: every file is read and checked before anything is sent, so a
/// mistake anywhere stores nothing; then each object is created or updated and reported as kubectl reports it.
/// </summary>
internal sealed class ApplyCommand : Command
{
    private readonly Option<string[]> _files;
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly CliEnvironment _env;
    private readonly ApplyMode _mode;

    public ApplyCommand(CliEnvironment env, ApplyMode mode)
        : base(mode == ApplyMode.Create ? "create" : "apply", mode == ApplyMode.Create
            ? "Create resources from files or stdin"
            : "Apply a configuration to resources from files or stdin: create them, or update them to match")
    {
        _env = env;
        _mode = mode;
        _files = CommonOptions.Filenames("Files, directories or - (stdin) holding YAML or JSON manifests");
        _files.Required = true;
        Options.Add(_files);
        Options.Add(_namespace);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var read = ManifestFiles.Read(parse.GetValue(_files) ?? [], _env.Input);
        if (!read.Succeeded)
        {
            foreach (var problem in read.Problems)
            {
                await _env.Error.WriteLineAsync($"error: {problem}");
            }

            return ExitCodes.Error;
        }

        if (read.Objects.Count == 0)
        {
            throw new CliException("error: no objects passed to " + Name);
        }

        var requested = parse.GetValue(_namespace);
        foreach (var item in read.Objects)
        {
            var meta = item.Value.Metadata;
            if (!string.IsNullOrEmpty(requested) && item.Kind.Namespaced)
            {
                if (item.Positions.Contains("metadata.namespace") && meta.Namespace != requested)
                {
                    throw new CliException($"error: the namespace from the provided object \"{meta.Namespace}\" does not match the namespace \"{requested}\". You must pass '--namespace={meta.Namespace}' to perform this operation.");
                }

                meta.Namespace = requested;
            }
        }

        var client = _env.Connect(parse).Client;
        var failed = false;
        foreach (var item in read.Objects)
        {
            try
            {
                var response = await client.ApplyAsync(new ApplyRequest { Object = item.Value.Wrap(), Mode = _mode },
                    deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
                var verb = response.Outcome switch
                {
                    ApplyOutcome.Created => "created",
                    ApplyOutcome.Configured => "configured",
                    _ => "unchanged",
                };
                await _env.Output.WriteLineAsync($"{ResourcePrinter.NameOf(item.Value)} {verb}");
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.AlreadyExists or StatusCode.FailedPrecondition or StatusCode.Aborted)
            {
                failed = true;
                var message = ex.StatusCode == StatusCode.AlreadyExists
                    ? $"Error from server (AlreadyExists): error when creating \"{item.Source}\": {ex.Status.Detail}"
                    : ManifestErrors.Locate(item, ex.Status.Detail);
                await _env.Error.WriteLineAsync(message);
            }
        }

        return failed ? ExitCodes.Error : ExitCodes.Success;
    }
}
