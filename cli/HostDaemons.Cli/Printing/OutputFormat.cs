namespace HostDaemons.Cli.Printing;

internal enum OutputFormat
{
    Table,
    Wide,
    Yaml,
    Json,
    Name,
}

internal static class OutputFormats
{
    public static bool TryParse(string? text, out OutputFormat format)
    {
        format = text switch
        {
            null or "" => OutputFormat.Table,
            "wide" => OutputFormat.Wide,
            "yaml" => OutputFormat.Yaml,
            "json" => OutputFormat.Json,
            "name" => OutputFormat.Name,
            _ => (OutputFormat)(-1),
        };
        return Enum.IsDefined(format);
    }

    public const string Allowed = "json, yaml, name, wide";
}
