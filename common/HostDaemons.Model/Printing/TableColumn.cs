namespace HostDaemons.Model.Printing;

/// <summary>
/// One column of a kind's table, as Kubernetes' <c>TableColumnDefinition</c>: <paramref name="Type"/> is an OpenAPI type
/// (<c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c>, <c>date</c>), <paramref name="Format"/> a hint such as
/// <c>name</c>, and columns of <paramref name="Priority"/> 1 are the ones kubectl shows only with <c>-o wide</c>.
/// </summary>
public sealed record TableColumn(string Name, string Type, string Description, int Priority = 0, string Format = "")
{
    /// <summary>The header kubectl prints: the name in upper case (<c>Node Selector</c> becomes <c>NODE SELECTOR</c>).</summary>
    public string Header => Name.ToUpperInvariant();

    /// <summary>Whether kubectl shows the column: every one with <c>-o wide</c>, else those of priority 0.</summary>
    public bool ShownIn(bool wide) => wide || Priority == 0;
}
