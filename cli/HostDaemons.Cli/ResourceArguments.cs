using HostDaemons.Cli.Client;
using HostDaemons.Model.Objects;

namespace HostDaemons.Cli;

/// <summary>kubectl's ways of naming objects: <c>TYPE NAME...</c> or <c>TYPE/NAME...</c>, with short names (ds, po, no).</summary>
internal static class ResourceArguments
{
    public static (ResourceKindInfo Kind, IReadOnlyList<string> Names) Parse(IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0)
        {
            throw new CliException("error: You must specify the type of resource to get. Valid resource types include: daemonsets (ds), pods (po), nodes (no)");
        }

        var first = arguments[0];
        if (!first.Contains('/', StringComparison.Ordinal))
        {
            var rest = arguments.Skip(1).ToList();
            if (rest.Any(n => n.Contains('/', StringComparison.Ordinal)))
            {
                throw new CliException(SeparateTypeMessage);
            }

            return (Kind(first), rest);
        }

        ResourceKindInfo? kind = null;
        var names = new List<string>();
        foreach (var argument in arguments)
        {
            var slash = argument.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == argument.Length - 1)
            {
                throw new CliException(SeparateTypeMessage);
            }

            var thisKind = Kind(argument[..slash]);
            if (kind is not null && kind.Kind != thisKind.Kind)
            {
                throw new CliException("error: all resources must be of one type");
            }

            kind = thisKind;
            names.Add(argument[(slash + 1)..]);
        }

        return (kind!, names);
    }

    private const string SeparateTypeMessage =
        "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'hdctl get resource/<resource_name>' instead of 'hdctl get resource resource/<resource_name>'";

    public static ResourceKindInfo Kind(string noun) =>
        ResourceKinds.FindByNoun(noun) ?? throw new CliException($"error: the server doesn't have a resource type \"{noun}\"");
}
