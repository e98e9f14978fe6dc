using HostDaemons.Agent.Policy;

namespace HostDaemons.Agent.Tests.Policy;

/// <summary>The allowed-host-paths setting, as a flag list and as the settings file's entries.</summary>
public sealed class AllowedHostPathTests
{
    [Fact]
    public void TryParseList_NotSet_IsAnyPath()
    {
        Assert.True(AllowedHostPath.TryParseList(null, out var entries, out _));
        Assert.Null(entries);
    }

    [Fact]
    public void TryParseList_Empty_IsNoPath()
    {
        Assert.True(AllowedHostPath.TryParseList("", out var entries, out _));
        Assert.Empty(entries!);
    }

    [Fact]
    public void TryParseList_Entries_ReadOnlyByTheirSuffix()
    {
        Assert.True(AllowedHostPath.TryParseList("/var/log:ro, /srv/data/ ,/", out var entries, out _));

        Assert.Equal([new("/var/log", true), new("/srv/data", false), new("/", false)], entries!);
    }

    [Theory]
    [InlineData("var/log")]
    [InlineData("/var/log/../etc")]
    [InlineData("/var/./log:ro")]
    public void TryParseList_NotAnAbsoluteCleanPath_RefusedNamingIt(string item)
    {
        Assert.False(AllowedHostPath.TryParseList($"/ok,{item}", out _, out var error));
        Assert.StartsWith($"\"{item}\" is not an absolute path", error, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatSettingItem_Mapping_WrittenAsAFlagItem()
    {
        Assert.Equal("/var/log:ro", AllowedHostPath.FormatSettingItem(new Dictionary<string, string?> { ["pathPrefix"] = "/var/log", ["readOnly"] = "true" }));
        Assert.Equal("/srv", AllowedHostPath.FormatSettingItem(new Dictionary<string, string?> { ["pathPrefix"] = "/srv", ["readOnly"] = "false" }));
        Assert.Equal("/srv", AllowedHostPath.FormatSettingItem(new Dictionary<string, string?> { ["pathPrefix"] = "/srv" }));
    }

    [Theory]
    [InlineData("readOnly", "yes", "readOnly must be true or false, got \"yes\"")]
    [InlineData("pathprefix", "/x", "unknown field \"pathprefix\" (an entry has pathPrefix and readOnly)")]
    public void FormatSettingItem_BadEntry_SaysWhy(string key, string value, string expected)
    {
        var item = new Dictionary<string, string?> { ["pathPrefix"] = "/var/log", [key] = value };
        if (key == "pathprefix")
        {
            item.Remove("pathPrefix");
        }

        Assert.Equal(expected, Assert.Throws<FormatException>(() => AllowedHostPath.FormatSettingItem(item)).Message);
    }
}
