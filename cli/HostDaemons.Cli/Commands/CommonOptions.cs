using System.CommandLine;

namespace HostDaemons.Cli.Commands;

/// <summary>Options several commands share, named as kubectl names them.</summary>
internal static class CommonOptions
{
    public static Option<string?> Namespace() => new("--namespace", "-n")
    {
        Description = "The namespace of the objects (default: default)",
    };

    public static Option<string[]> Filenames(string description) => new("--filename", "-f")
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
    };

    public static string EffectiveNamespace(string? value) => string.IsNullOrEmpty(value) ? "default" : value;
}
