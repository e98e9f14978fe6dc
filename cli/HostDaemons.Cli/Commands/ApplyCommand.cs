using System.CommandLine;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Manifests;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Serialization;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// <c>hdctl apply -f</c> and <c>hdctl create -f</c>: every file is read and checked before anything is sent, so a
/// mistake anywhere stores nothing; then each object is created or updated and reported as kubectl reports it.
/// </summary>
internal sealed class ApplyCommand : Command
{
    private readonly Option<string[]> _files;
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly Option<string?> _dryRun = DryRunOption.Create();
    private readonly Option<string?> _output = new("--output", "-o") { Description = "wide: after each DaemonSet, its placement preview (every node, run or not, and why)" };
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
        Options.Add(_dryRun);
        Options.Add(_output);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var (dryRun, warning) = DryRunOption.Parse(parse, _dryRun);
        if (warning is not null)
        {
            await _env.Error.WriteLineAsync(warning);
        }

        var output = parse.GetValue(_output);
        if (output is not (null or "wide"))
        {
            throw new CliException($"error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: wide");
        }

        var read = ManifestFiles.Read(parse.GetValue(_files) ?? [], _env.Input, _env.Error);
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

        UseNamespace(read.Objects, parse.GetValue(_namespace));

        // kubectl create --dry-run=client never contacts the server.
        var client = _mode == ApplyMode.Create && dryRun == DryRunStrategy.Client ? null : _env.Connect(parse).Client;
        var result = await ApplyAsync(client, read.Objects, _mode, dryRun, _env.Output, _env.Error, cancellationToken);
        if (output == "wide" && client is not null)
        {
            // The preview of where each DaemonSet runs as applied (dry run: as it would be), decided by the control plane.
            foreach (var item in read.Objects.Where(o => o.Value is DaemonSet))
            {
                var placement = await client.ExplainPlacementAsync(new ExplainPlacementRequest { Object = item.AsWritten.Wrap() },
                    deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
                await ExplainPlacementCommand.WriteAsync(ResourcePrinter.NameOf(item.Value), placement, _env.Output, separate: true);
            }
        }

        return result;
    }

    /// <summary>
    /// Sends each object (as written: the server applies the defaults and keeps what was written as the
    /// last-applied configuration) and reports it as kubectl does: <c>daemonset.apps/x configured</c>, with
    /// <c> (dry run)</c> or <c> (server dry run)</c>. A client dry run of apply only asks whether the object exists,
    /// as kubectl does: "created" when it does not, else "configured".
    /// </summary>
    internal static async Task<int> ApplyAsync(AdminService.AdminServiceClient? client, IReadOnlyList<ManifestObject> objects, ApplyMode mode,
        DryRunStrategy dryRun, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var failed = false;
        var suffix = DryRunOption.Suffix(dryRun);
        foreach (var item in objects)
        {
            await ManifestFiles.WriteWarningsAsync(item, error);
            try
            {
                ApplyOutcome outcome;
                if (dryRun == DryRunStrategy.Client)
                {
                    outcome = client is null || !await ExistsAsync(client, item.Value, cancellationToken) ? ApplyOutcome.Created : ApplyOutcome.Configured;
                }
                else
                {
                    var request = new ApplyRequest { Object = item.AsWritten.Wrap(), Mode = mode, DryRun = dryRun == DryRunStrategy.Server };
                    var response = await client!.ApplyAsync(request, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
                    foreach (var warning in response.Warnings)
                    {
                        await error.WriteLineAsync($"Warning: {warning}");
                    }

                    outcome = response.Outcome;
                }

                var verb = outcome switch
                {
                    ApplyOutcome.Created => "created",
                    ApplyOutcome.Configured => "configured",
                    _ => "unchanged",
                };
                await output.WriteLineAsync($"{ResourcePrinter.NameOf(item.Value)} {verb}{suffix}");
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.AlreadyExists or StatusCode.FailedPrecondition or StatusCode.Aborted or StatusCode.PermissionDenied or StatusCode.ResourceExhausted)
            {
                failed = true;
                var message = ex.StatusCode switch
                {
                    StatusCode.ResourceExhausted => $"Error from server (RequestEntityTooLarge): error when creating \"{item.Source}\": {ex.Status.Detail}",
                    StatusCode.AlreadyExists => $"Error from server (AlreadyExists): error when creating \"{item.Source}\": {ex.Status.Detail}",
                    StatusCode.PermissionDenied => $"Error from server (Forbidden): error when creating \"{item.Source}\": {ex.Status.Detail}",
                    _ => ManifestErrors.Locate(item, ex.Status.Detail),
                };
                await error.WriteLineAsync(message);
                foreach (var location in ManifestErrors.LocateFields(item, ex.Trailers))
                {
                    await error.WriteLineAsync(location);
                }
            }
        }

        return failed ? ExitCodes.Error : ExitCodes.Success;
    }

    /// <summary>
    /// Applies <c>-n</c> to every namespaced object (as read and as written), refusing an object whose manifest names
    /// another namespace, in kubectl's words.
    /// </summary>
    internal static void UseNamespace(IReadOnlyList<ManifestObject> objects, string? requested)
    {
        if (string.IsNullOrEmpty(requested))
        {
            return;
        }

        foreach (var item in objects.Where(o => o.Kind.Namespaced))
        {
            var meta = item.Value.Metadata;
            if (item.Positions.Contains("metadata.namespace") && meta.Namespace != requested)
            {
                throw new CliException($"error: the namespace from the provided object \"{meta.Namespace}\" does not match the namespace \"{requested}\". You must pass '--namespace={meta.Namespace}' to perform this operation.");
            }

            meta.Namespace = requested;
            item.AsWritten.Metadata ??= new ObjectMeta();
            item.AsWritten.Metadata.Namespace = requested;
        }
    }

    private static async Task<bool> ExistsAsync(AdminService.AdminServiceClient client, IKubeObject value, CancellationToken cancellationToken)
    {
        try
        {
            var reference = new ObjectReference { Kind = value.ResourceKind, Namespace = value.Metadata.Namespace, Name = value.Metadata.Name };
            await client.GetAsync(new GetRequest { Ref = reference }, deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
            return true;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
    }
}
