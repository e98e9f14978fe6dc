using System.CommandLine;
using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Model.Quantities;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Commands;

/// <summary><c>hdctl logs POD [-c CONTAINER] [-f] [--tail N] [--previous] [--timestamps] [--since D | --since-time T]</c>, relayed through the pod's agent.</summary>
internal sealed class LogsCommand : Command
{
    private readonly Argument<string[]> _arguments = new Argument<string[]>("POD [CONTAINER]") { Arity = new ArgumentArity(1, 2) }.RejectingFlags();
    private readonly Option<string?> _container = new("--container", "-c") { Description = "The container to print the logs of" };
    private readonly Option<bool> _follow = new("--follow", "-f") { Description = "Keep printing the logs as they are written" };
    private readonly Option<long> _tail = new("--tail") { Description = "Lines of recent log to print; -1 prints all", DefaultValueFactory = _ => -1 };
    private readonly Option<bool> _previous = new("--previous", "-p") { Description = "Print the logs of the previous, terminated instance of the container" };
    private readonly Option<bool> _timestamps = new("--timestamps") { Description = "Prefix each line with its time" };
    private readonly Option<string?> _since = new("--since") { Description = "Only the logs newer than a relative duration like 5s, 2m or 3h" };
    private readonly Option<string?> _sinceTime = new("--since-time") { Description = "Only the logs after an RFC3339 time" };
    private readonly Option<string?> _namespace = CommonOptions.Namespace();
    private readonly CliEnvironment _env;

    public LogsCommand(CliEnvironment env)
        : base("logs", "Print the logs for a container in a pod")
    {
        _env = env;
        Arguments.Add(_arguments);
        Options.Add(_container);
        Options.Add(_follow);
        Options.Add(_tail);
        Options.Add(_previous);
        Options.Add(_timestamps);
        Options.Add(_since);
        Options.Add(_sinceTime);
        Options.Add(_namespace);
        SetAction(RunAsync);
    }

    /// <summary>kubectl's <c>--since</c> (rounded to whole seconds, as kubectl sends sinceSeconds) and <c>--since-time</c>.</summary>
    internal static void SetSince(PodLogOptions options, string? since, string? sinceTime)
    {
        if (!string.IsNullOrEmpty(since) && !string.IsNullOrEmpty(sinceTime))
        {
            throw new CliException("error: at most one of `sinceTime` or `sinceSeconds` may be specified");
        }

        if (!string.IsNullOrEmpty(since))
        {
            if (!GoDuration.TryParse(since, out var duration))
            {
                throw new CliException($"error: invalid argument \"{since}\" for \"--since\" flag: time: invalid duration \"{since}\"");
            }

            if (duration > TimeSpan.Zero)
            {
                options.SinceSeconds = (long)Math.Round(duration.TotalSeconds, MidpointRounding.AwayFromZero);
            }
        }

        if (!string.IsNullOrEmpty(sinceTime))
        {
            options.SinceTime = DateTimeOffset.TryParse(sinceTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? Timestamp.FromDateTimeOffset(at)
                : throw new CliException($"error: --since-time only accepts times matching RFC3339, eg '2006-01-02T15:04:05Z'");
        }
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var arguments = parse.GetValue(_arguments) ?? [];
        var pod = arguments[0];
        if (pod.Contains('/', StringComparison.Ordinal))
        {
            var (kind, names) = ResourceArguments.Parse([pod]);
            if (kind.Kind != ResourceKind.Pod)
            {
                throw new CliException($"error: cannot get the logs of a {kind.Singular}: name a pod");
            }

            pod = names[0];
        }

        var options = new PodLogOptions
        {
            Container = parse.GetValue(_container) ?? (arguments.Length > 1 ? arguments[1] : ""),
            Follow = parse.GetValue(_follow),
            Previous = parse.GetValue(_previous),
            Timestamps = parse.GetValue(_timestamps),
        };
        if (parse.GetValue(_tail) is var tail and >= 0)
        {
            options.TailLines = tail;
        }

        SetSince(options, parse.GetValue(_since), parse.GetValue(_sinceTime));
        var request = new LogsRequest { Namespace = CommonOptions.EffectiveNamespace(parse.GetValue(_namespace)), Pod = pod, Options = options };
        using var call = _env.Connect(parse).Client.Logs(request, cancellationToken: cancellationToken);
        var decoder = Encoding.UTF8.GetDecoder();
        try
        {
            await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                var bytes = chunk.Data.Span;
                var chars = new char[decoder.GetCharCount(bytes, flush: false)];
                decoder.GetChars(bytes, chars, flush: false);
                await _env.Output.WriteAsync(chars, cancellationToken);
                await _env.Output.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return ExitCodes.Success;
    }
}
