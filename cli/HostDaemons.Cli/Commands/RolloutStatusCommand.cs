using System.CommandLine;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Quantities;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// <c>hdctl rollout status ds/NAME</c>: kubectl's DaemonSet status lines until the rollout is done (or once, with
/// <c>--watch=false</c>), each followed, while it goes on, by every node's pod with its revision and readiness.
/// Follows the control plane's progress stream: no polling.
/// </summary>
internal sealed class RolloutStatusCommand : Command
{
    private readonly Argument<string[]> _resources = new Argument<string[]>("TYPE/NAME") { Arity = ArgumentArity.ZeroOrMore }.RejectingFlags();
    private readonly Option<bool> _watch = new("--watch", "-w") { Description = "Watch the status of the rollout until it's done", DefaultValueFactory = _ => true };
    private readonly Option<string> _timeout = new("--timeout")
    {
        Description = "The length of time to wait before ending watch, zero means never (e.g. 1s, 2m, 3h)",
        DefaultValueFactory = _ => "0s",
    };

    private readonly Option<long> _revision = new("--revision") { Description = "Pin to a specific revision (ignored for daemonsets, as by kubectl)" };
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly CliEnvironment _env;

    public RolloutStatusCommand(CliEnvironment env)
        : base("status", "Show the status of the rollout")
    {
        _env = env;
        Arguments.Add(_resources);
        Options.Add(_watch);
        Options.Add(_timeout);
        Options.Add(_revision);
        Options.Add(_namespace);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var name = RolloutTarget.DaemonSet(parse.GetValue(_resources) ?? [],
            (kind, _) => $"error: no status viewer has been implemented for {RolloutTarget.GroupKind(kind)}",
            missing: "error: required resource not specified");
        if (!GoDuration.TryParse(parse.GetValue(_timeout) ?? "", out var timeout))
        {
            throw new CliException($"error: invalid argument \"{parse.GetValue(_timeout)}\" for \"--timeout\" flag: time: invalid duration");
        }

        var watch = parse.GetValue(_watch);
        var client = _env.Connect(parse).Client;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout > TimeSpan.Zero)
        {
            limit.CancelAfter(timeout);
        }

        try
        {
            return await FollowAsync(client, CommonOptions.EffectiveNamespace(parse.GetValue(_namespace)), name, watch, limit.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled or StatusCode.DeadlineExceeded }
            && limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CliException("error: timed out waiting for the condition");
        }
    }

    private async Task<int> FollowAsync(AdminService.AdminServiceClient client, string ns, string name, bool watch, CancellationToken cancellationToken)
    {
        using var call = client.WatchRollout(new WatchRolloutRequest { Namespace = ns, Name = name }, cancellationToken: cancellationToken);
        string? shown = null;
        await foreach (var progress in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            if (progress.DaemonSet is null)
            {
                // As kubectl: following a deleted object would follow the wrong one if it came back.
                throw new CliException("error: object has been deleted");
            }

            if (progress.DaemonSet.Spec?.UpdateStrategy?.Type != "RollingUpdate")
            {
                throw new CliException($"error: {RolloutStatusText.OnlyRollingUpdate}");
            }

            var (line, done) = RolloutStatusText.Status(progress.DaemonSet);
            var block = line + "\n" + (done || !watch ? "" : RolloutStatusText.Details(progress));
            if (block != shown)
            {
                await _env.Output.WriteAsync(block);
                await _env.Output.FlushAsync(cancellationToken);
                shown = block;
            }

            if (done || !watch)
            {
                return ExitCodes.Success;
            }
        }

        throw new CliException("error: the control plane ended the watch before the rollout finished");
    }
}
