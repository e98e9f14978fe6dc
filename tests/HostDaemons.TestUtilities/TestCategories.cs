namespace HostDaemons.TestUtilities;

/// <summary>Trait values: scripts/test runs Docker suites only where an engine answers, and can leave out slow ones.</summary>
public static class TestCategories
{
    public const string Name = "Category";
    public const string Docker = "Docker";
    public const string Slow = "Slow";
}
