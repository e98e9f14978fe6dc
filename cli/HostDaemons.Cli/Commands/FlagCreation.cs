using System.CommandLine;
using Grpc.Core;
using HostDaemons.Api.V1;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Printing;
using HostDaemons.Model.Objects;
using HostDaemons.Model.Validation;

namespace HostDaemons.Cli.Commands;

/// <summary>
/// What kubectl's <c>create KIND NAME --flags</c> commands share: one NAME, <c>-o json|yaml|name</c>, <c>--dry-run</c>,
/// the object checked here first, then created (unless a client dry run) and printed, or <c>KIND/NAME created</c>.
/// </summary>
internal static class FlagCreation
{
    public static Option<string?> OutputOption() => new("--output", "-o") { Description = "Output format: json, yaml or name" };

    /// <summary>The one NAME, kubectl's message otherwise.</summary>
    public static string SingleName(string[]? names, string commandPath)
    {
        names ??= [];
        return names.Length == 1 ? names[0] : throw new CliException($"error: exactly one NAME is required, got {names.Length}\nSee '{commandPath} --help' for usage.");
    }

    public static OutputFormat ParseOutput(ParseResult parse, Option<string?> output) =>
        OutputFormats.TryParse(parse.GetValue(output), out var format) && format != OutputFormat.Wide
            ? format
            : throw new CliException($"error: unable to match a printer suitable for the output format \"{parse.GetValue(output)}\", allowed formats are: json, yaml, name");

    /// <summary>
    /// Validates <paramref name="value"/> (defaulted), creates it unless the dry run is the client's, and prints it.
    /// Failures (local or the server's refusal) read <c>error: FAILURE_PREFIX MESSAGE</c>, the server's message without
    /// apply's leading "The ".
    /// </summary>
    public static async Task<int> CreateAsync<T>(CliEnvironment env, ParseResult parse, T value, Option<string?> dryRunOption, OutputFormat format,
        string failurePrefix, CancellationToken cancellationToken)
        where T : class, IKubeObject<T>
    {
        var (dryRun, warning) = DryRunOption.Parse(parse, dryRunOption);
        if (warning is not null)
        {
            await env.Error.WriteLineAsync(warning);
        }

        var defaulted = (T)value.CloneObject();
        ObjectValidator.ApplyDefaults(defaulted);
        var errors = ObjectValidator.Validate(defaulted);
        if (errors.Count > 0)
        {
            throw new CliException($"error: {failurePrefix}{ServerMessage(ValidationErrors.Summarize(value.Descriptor.Name, value.Metadata.Name, errors))}");
        }

        IKubeObject shown = defaulted;
        if (dryRun != DryRunStrategy.Client)
        {
            try
            {
                var response = await env.Connect(parse).Client.ApplyAsync(new ApplyRequest { Object = value.Wrap(), Mode = ApplyMode.Create, DryRun = dryRun == DryRunStrategy.Server },
                    deadline: AdminConnection.Deadline(), cancellationToken: cancellationToken);
                foreach (var serverWarning in response.Warnings)
                {
                    await env.Error.WriteLineAsync($"Warning: {serverWarning}");
                }

                shown = response.Object.Unwrap() ?? defaulted;
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.AlreadyExists or StatusCode.InvalidArgument or StatusCode.PermissionDenied)
            {
                throw new CliException($"error: {failurePrefix}{ServerMessage(ex.Status.Detail)}");
            }
        }

        if (format is OutputFormat.Yaml or OutputFormat.Json or OutputFormat.Name)
        {
            new ResourcePrinter(format, withNamespace: false, showLabels: false, env.Time).Print(value.ResourceKind, [shown], single: true, env.Output);
        }
        else
        {
            await env.Output.WriteLineAsync($"{ResourcePrinter.NameOf(shown)} created{DryRunOption.Suffix(dryRun)}");
        }

        return ExitCodes.Success;
    }

    /// <summary>The API server's wording, which kubectl prints after "failed to create ...": without apply's "The ".</summary>
    private static string ServerMessage(string detail) =>
        detail.StartsWith("The ", StringComparison.Ordinal) ? detail[4..] : detail;
}
