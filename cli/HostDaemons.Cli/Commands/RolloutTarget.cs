using HostDaemons.Cli.Client;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Commands;

/// <summary>The object of a rollout verb (<c>ds/NAME</c> or <c>ds NAME</c>), with kubectl's errors for anything else.</summary>
internal static class RolloutTarget
{
    /// <summary>kubectl's resource builder, given nothing to work on.</summary>
    public const string NoResources =
        "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

    /// <summary>
    /// The named object's kind and name. <paramref name="missing"/> is the verb's error without arguments; a type
    /// without a name is kubectl's "no name was specified".
    /// </summary>
    public static (ResourceKindInfo Kind, string Name) Parse(IReadOnlyList<string> arguments, string missing = NoResources)
    {
        if (arguments.Count == 0)
        {
            throw new CliException(missing);
        }

        var (kind, names) = ResourceArguments.Parse(arguments);
        if (names.Count == 0)
        {
            throw new CliException("error: resource(s) were provided, but no name was specified");
        }

        if (names.Count > 1)
        {
            throw new CliException("error: only one resource at a time: give one daemonset");
        }

        return (kind, names[0]);
    }

    /// <summary>The DaemonSet's name, or <paramref name="unsupported"/>'s error (given the kind and name) for another kind.</summary>
    public static string DaemonSet(IReadOnlyList<string> arguments, Func<ResourceKindInfo, string, string> unsupported, string missing = NoResources)
    {
        var (kind, name) = Parse(arguments, missing);
        return kind.Kind == ResourceKind.DaemonSet ? name : throw new CliException(unsupported(kind, name));
    }

    /// <summary>kubectl's GroupKind text: <c>Pod</c>, <c>DaemonSet.apps</c>.</summary>
    public static string GroupKind(ResourceKindInfo kind) => kind.Group.Length == 0 ? kind.KindName : $"{kind.KindName}.{kind.Group}";
}
