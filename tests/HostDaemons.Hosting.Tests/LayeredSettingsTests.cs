namespace HostDaemons.Hosting.Tests;

public sealed class LayeredSettingsTests : IDisposable
{
    private static readonly string[] s_flags = ["server", "node-name", "node-labels", "heartbeat-interval", "docker-endpoint"];
    private static readonly HashSet<string> s_durations = new(StringComparer.Ordinal) { "heartbeat-interval" };

    private readonly TempDirectory _temp = new("hd-settings");

    public void Dispose() => _temp.Dispose();

    private static LayeredSettings Settings() => new("Agent", s_flags, s_durations);

    private static Dictionary<string, string?> Env(params (string Key, string? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private string MissingDefault => _temp.Combine("missing-default.yaml");

    private string WriteConfig(string text)
    {
        var path = _temp.Combine("agent.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static SettingsException Fails(Action action) => Assert.Throws<SettingsException>(action);

    [Fact]
    public void Read_NothingGiven_IsEmpty()
    {
        Assert.Empty(Settings().Read([], MissingDefault, Env()));
    }

    [Fact]
    public void Read_FlagWithSeparateValue_LandsInSectionKey()
    {
        var values = Settings().Read(["--node-name", "host-1"], MissingDefault, Env());

        Assert.Equal("host-1", values["Agent:NodeName"]);
    }

    [Fact]
    public void Read_FlagWithEqualsValue_LandsInSectionKey()
    {
        var values = Settings().Read(["--server=http://cp:7070"], MissingDefault, Env());

        Assert.Equal("http://cp:7070", values["Agent:Server"]);
    }

    [Fact]
    public void Read_FlagWithEqualsInValue_KeepsEverythingAfterFirstEquals()
    {
        var values = Settings().Read(["--node-labels=disk=ssd,zone=a"], MissingDefault, Env());

        Assert.Equal("disk=ssd,zone=a", values["Agent:NodeLabels"]);
    }

    [Fact]
    public void Read_FlagWithEmptyEqualsValue_IsEmpty()
    {
        var values = Settings().Read(["--node-name="], MissingDefault, Env());

        Assert.Equal("", values["Agent:NodeName"]);
    }

    [Fact]
    public void Read_Keys_AreCaseInsensitive()
    {
        var values = Settings().Read(["--node-name", "host-1"], MissingDefault, Env());

        Assert.Equal("host-1", values["agent:nodename"]);
    }

    [Fact]
    public void Read_FileEnvironmentAndFlags_LaterLayersWin()
    {
        var config = WriteConfig("server: http://file:1\nnode-name: from-file\nnode-labels: disk=hdd\n");
        var env = Env(("HOSTDAEMONS_CONFIG", config), ("HOSTDAEMONS_NODE_NAME", "from-env"), ("HOSTDAEMONS_SERVER", "http://env:2"));

        var values = Settings().Read(["--server", "http://flag:3"], MissingDefault, env);

        Assert.Equal("http://flag:3", values["Agent:Server"]);
        Assert.Equal("from-env", values["Agent:NodeName"]);
        Assert.Equal("disk=hdd", values["Agent:NodeLabels"]);
    }

    [Fact]
    public void Read_EnvironmentOverFile_WhenNoFlag()
    {
        var config = WriteConfig("node-name: from-file\n");

        var values = Settings().Read(["--config", config], MissingDefault, Env(("HOSTDAEMONS_NODE_NAME", "from-env")));

        Assert.Equal("from-env", values["Agent:NodeName"]);
    }

    [Fact]
    public void Read_FlagOverEnvironment()
    {
        var values = Settings().Read(["--node-name=from-flag"], MissingDefault, Env(("HOSTDAEMONS_NODE_NAME", "from-env")));

        Assert.Equal("from-flag", values["Agent:NodeName"]);
    }

    [Fact]
    public void Read_DefaultConfigFileExists_IsRead()
    {
        var config = WriteConfig("node-name: from-default\n");

        var values = Settings().Read([], config, Env());

        Assert.Equal("from-default", values["Agent:NodeName"]);
    }

    [Fact]
    public void Read_ConfigFlag_OverridesEnvironmentConfig()
    {
        var config = WriteConfig("node-name: from-flag-file\n");

        var values = Settings().Read(["--config", config], MissingDefault, Env(("HOSTDAEMONS_CONFIG", _temp.Combine("other.yaml"))));

        Assert.Equal("from-flag-file", values["Agent:NodeName"]);
        Assert.False(values.ContainsKey("Agent:Config"));
    }

    [Fact]
    public void Read_FileKeysInOtherSpellings_MatchFlags()
    {
        var config = WriteConfig("nodeName: a\ndocker_endpoint: unix:///run/docker.sock\nServer: http://x:1\n");

        var values = Settings().Read(["--config", config], MissingDefault, Env());

        Assert.Equal("a", values["Agent:NodeName"]);
        Assert.Equal("unix:///run/docker.sock", values["Agent:DockerEndpoint"]);
        Assert.Equal("http://x:1", values["Agent:Server"]);
    }

    [Fact]
    public void Read_FileMapValue_BecomesCommaSeparatedPairs()
    {
        var config = WriteConfig("node-labels:\n  disk: ssd\n  zone: eu-1\n");

        var values = Settings().Read(["--config", config], MissingDefault, Env());

        Assert.Equal("disk=ssd,zone=eu-1", values["Agent:NodeLabels"]);
    }

    [Fact]
    public void Read_FileNullValue_IsNull()
    {
        var config = WriteConfig("node-name: ~\n");

        var values = Settings().Read(["--config", config], MissingDefault, Env());

        Assert.True(values.ContainsKey("Agent:NodeName"));
        Assert.Null(values["Agent:NodeName"]);
    }

    [Fact]
    public void Read_EmptyFile_IsEmpty()
    {
        var config = WriteConfig("# only a comment\n");

        Assert.Empty(Settings().Read(["--config", config], MissingDefault, Env()));
    }

    [Fact]
    public void Read_UnknownKeyInFile_NamesFileLineAndSuggestion()
    {
        var config = WriteConfig("server: http://x:1\nnode-nmae: a\n");

        var ex = Fails(() => Settings().Read(["--config", config], MissingDefault, Env()));

        Assert.Equal($"{config}:2: unknown setting \"node-nmae\" (did you mean \"node-name\"?)", ex.Message);
    }

    [Fact]
    public void Read_UnknownKeyInFileWithNothingClose_NamesFileAndLine()
    {
        var config = WriteConfig("\n\ncompletely-unrelated: 1\n");

        var ex = Fails(() => Settings().Read(["--config", config], MissingDefault, Env()));

        Assert.Equal($"{config}:3: unknown setting \"completely-unrelated\"", ex.Message);
    }

    [Fact]
    public void Read_ListValueInFile_MustBeSingleValue()
    {
        var config = WriteConfig("server:\n- a\n- b\n");

        var ex = Fails(() => Settings().Read(["--config", config], MissingDefault, Env()));

        Assert.StartsWith($"{config}:2: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("setting \"server\" must be a single value", ex.Message, StringComparison.Ordinal);
    }

    private static LayeredSettings WithList() => new("Agent", [.. s_flags, "paths"], s_durations,
        new Dictionary<string, Func<IReadOnlyDictionary<string, string?>, string>>
        {
            ["paths"] = item => item.TryGetValue("path", out var path) && path is not null ? path + (item.GetValueOrDefault("ro") == "true" ? ":ro" : "") : throw new FormatException("needs a path"),
        });

    [Fact]
    public void Read_FileListOfValuesAndMappings_BecomesCommaSeparatedItems()
    {
        var config = WriteConfig("paths:\n- /a\n- path: /b\n  ro: true\n- {path: /c}\n");

        var values = WithList().Read(["--config", config], MissingDefault, Env());

        Assert.Equal("/a,/b:ro,/c", values["Agent:Paths"]);
    }

    [Fact]
    public void Read_FileEmptyList_IsEmptyString()
    {
        var values = WithList().Read(["--config", WriteConfig("paths: []\n")], MissingDefault, Env());

        Assert.Equal("", values["Agent:Paths"]);
    }

    [Fact]
    public void Read_FileListItemTheFormatRefuses_NamesFileLineAndSetting()
    {
        var config = WriteConfig("paths:\n- /a\n- ro: true\n");

        var ex = Fails(() => WithList().Read(["--config", config], MissingDefault, Env()));

        Assert.Equal($"{config}:3: setting \"paths\": needs a path", ex.Message);
    }

    [Fact]
    public void Read_FileListItemWithAComma_Refused()
    {
        var config = WriteConfig("paths:\n- /a,/b\n");

        var ex = Fails(() => WithList().Read(["--config", config], MissingDefault, Env()));

        Assert.Equal($"{config}:2: setting \"paths\": an item may not hold a comma (\"/a,/b\")", ex.Message);
    }

    [Fact]
    public void Read_ListFlagAndVariable_TakenAsWritten()
    {
        var values = WithList().Read(["--paths", "/x:ro,/y"], MissingDefault, Env(("HOSTDAEMONS_PATHS", "/z")));

        Assert.Equal("/x:ro,/y", values["Agent:Paths"]);
    }

    [Fact]
    public void Read_FileThatIsNotAMapping_SaysSo()
    {
        var config = WriteConfig("- a\n");

        var ex = Fails(() => Settings().Read(["--config", config], MissingDefault, Env()));

        Assert.Equal($"{config}:1: expected \"name: value\" settings", ex.Message);
    }

    [Fact]
    public void Read_FileWithSyntaxError_NamesFileAndLine()
    {
        var config = WriteConfig("server: [a\n");

        var ex = Fails(() => Settings().Read(["--config", config], MissingDefault, Env()));

        Assert.StartsWith(config + ":", ex.Message, StringComparison.Ordinal);
        Assert.Contains("YAML syntax error", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ExplicitConfigFlagMissingFile_IsAnError()
    {
        var missing = _temp.Combine("nope.yaml");

        var ex = Fails(() => Settings().Read(["--config", missing], MissingDefault, Env()));

        Assert.Equal($"{missing}: config file not found", ex.Message);
    }

    [Fact]
    public void Read_ExplicitConfigEnvironmentMissingFile_IsAnError()
    {
        var missing = _temp.Combine("nope.yaml");

        var ex = Fails(() => Settings().Read([], MissingDefault, Env(("HOSTDAEMONS_CONFIG", missing))));

        Assert.Equal($"{missing}: config file not found", ex.Message);
    }

    [Fact]
    public void Read_DefaultConfigMissing_IsNotAnError()
    {
        var values = Settings().Read(["--node-name", "a"], MissingDefault, Env());

        Assert.Equal("a", values["Agent:NodeName"]);
    }

    [Fact]
    public void Read_UnknownFlag_SuggestsClosest()
    {
        var ex = Fails(() => Settings().Read(["--node-nme", "a"], MissingDefault, Env()));

        Assert.Equal("unknown flag --node-nme (did you mean \"--node-name\"?)", ex.Message);
    }

    [Fact]
    public void Read_UnknownFlagWithEquals_SuggestsClosest()
    {
        var ex = Fails(() => Settings().Read(["--sever=http://x"], MissingDefault, Env()));

        Assert.Equal("unknown flag --sever (did you mean \"--server\"?)", ex.Message);
    }

    [Fact]
    public void Read_UnknownFlagWithNothingClose_NoSuggestion()
    {
        var ex = Fails(() => Settings().Read(["--verbose-logging", "1"], MissingDefault, Env()));

        Assert.Equal("unknown flag --verbose-logging", ex.Message);
    }

    [Theory]
    [InlineData("-n")]
    [InlineData("value")]
    [InlineData("--")]
    public void Read_ArgumentThatIsNotALongFlag_IsAnError(string arg)
    {
        var ex = Fails(() => Settings().Read([arg], MissingDefault, Env()));

        Assert.Equal($"unexpected argument \"{arg}\": settings are given as --name value", ex.Message);
    }

    [Fact]
    public void Read_FlagWithoutValue_IsAnError()
    {
        var ex = Fails(() => Settings().Read(["--node-name"], MissingDefault, Env()));

        Assert.Equal("flag --node-name needs a value", ex.Message);
    }

    [Fact]
    public void Read_FlagGivenTwice_LastWins()
    {
        var values = Settings().Read(["--node-name", "a", "--node-name=b"], MissingDefault, Env());

        Assert.Equal("b", values["Agent:NodeName"]);
    }

    [Theory]
    [InlineData("40s", "00:00:40")]
    [InlineData("1h30m", "01:30:00")]
    [InlineData("250ms", "00:00:00.2500000")]
    [InlineData("5m", "00:05:00")]
    [InlineData("1.5h", "01:30:00")]
    [InlineData("2h0m10s", "02:00:10")]
    public void Read_DurationFlag_ConvertedToTimeSpanText(string text, string expected)
    {
        var values = Settings().Read(["--heartbeat-interval", text], MissingDefault, Env());

        Assert.Equal(expected, values["Agent:HeartbeatInterval"]);
        Assert.Equal(TimeSpan.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Parse(values["Agent:HeartbeatInterval"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Read_DurationInEnvironmentAndFile_AlsoConverted()
    {
        var config = WriteConfig("heartbeat-interval: 1m\n");

        Assert.Equal("00:01:00", Settings().Read(["--config", config], MissingDefault, Env())["Agent:HeartbeatInterval"]);
        Assert.Equal("00:00:10", Settings().Read([], MissingDefault, Env(("HOSTDAEMONS_HEARTBEAT_INTERVAL", "10s")))["Agent:HeartbeatInterval"]);
    }

    [Theory]
    [InlineData("40")]
    [InlineData("soon")]
    [InlineData("1d")]
    [InlineData("00:00:40")]
    [InlineData("-5s")]
    public void Read_BadDurationFlag_ClearError(string text)
    {
        var ex = Fails(() => Settings().Read(["--heartbeat-interval", text], MissingDefault, Env()));

        Assert.Equal($"--heartbeat-interval: \"{text}\" is not a duration (write it as 40s, 5m or 1h30m)", ex.Message);
    }

    [Fact]
    public void Read_BadDurationInEnvironment_NamesTheVariable()
    {
        var ex = Fails(() => Settings().Read([], MissingDefault, Env(("HOSTDAEMONS_HEARTBEAT_INTERVAL", "often"))));

        Assert.Equal("HOSTDAEMONS_HEARTBEAT_INTERVAL: \"often\" is not a duration (write it as 40s, 5m or 1h30m)", ex.Message);
    }

    [Fact]
    public void Read_BadDurationInFile_NamesTheFile()
    {
        var config = WriteConfig("heartbeat-interval: often\n");

        var ex = Fails(() => Settings().Read(["--config", config], MissingDefault, Env()));

        Assert.StartsWith(config, ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"often\" is not a duration", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadDurationInFile_NamesFileAndLine()
    {
        var config = WriteConfig("server: http://x:1\nheartbeat-interval: often\n");

        var ex = Fails(() => Settings().Read(["--config", config], MissingDefault, Env()));

        Assert.Equal($"{config}:2: \"often\" is not a duration (write it as 40s, 5m or 1h30m)", ex.Message);
    }

    [Fact]
    public void Read_NonDurationFlagWithDurationLikeText_IsLeftAlone()
    {
        var values = Settings().Read(["--node-name", "40s"], MissingDefault, Env());

        Assert.Equal("40s", values["Agent:NodeName"]);
    }

    [Fact]
    public void Read_EnvironmentVariablesOutsideTheFlagList_AreIgnored()
    {
        Assert.Empty(Settings().Read([], MissingDefault, Env(("HOSTDAEMONS_UNRELATED", "x"), ("PATH", "/bin"))));
    }

    [Theory]
    [InlineData("node-name", "Agent:NodeName")]
    [InlineData("server", "Agent:Server")]
    [InlineData("heartbeat-interval", "Agent:HeartbeatInterval")]
    public void Key_FlagName_IsSectionAndPascalCase(string flag, string expected)
    {
        Assert.Equal(expected, Settings().Key(flag));
    }
}
