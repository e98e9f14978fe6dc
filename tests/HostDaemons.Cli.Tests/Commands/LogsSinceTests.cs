using Google.Protobuf.WellKnownTypes;
using HostDaemons.Cli.Client;
using HostDaemons.Cli.Commands;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Tests.Commands;

/// <summary>hdctl logs <c>--since</c> and <c>--since-time</c>, sent as kubectl sends them (sinceSeconds, sinceTime).</summary>
public sealed class LogsSinceTests
{
    [Theory]
    [InlineData("5s", 5)]
    [InlineData("2m", 120)]
    [InlineData("1h30m", 5400)]
    [InlineData("1500ms", 2)]
    public void SetSince_Duration_WholeSecondsAsKubectlRoundsThem(string since, long seconds)
    {
        var options = new PodLogOptions();

        LogsCommand.SetSince(options, since, null);

        Assert.Equal(seconds, options.SinceSeconds);
        Assert.Null(options.SinceTime);
    }

    [Fact]
    public void SetSince_SinceTime_SentAsTimestamp()
    {
        var options = new PodLogOptions();

        LogsCommand.SetSince(options, null, "2026-12-06T10:00:00Z");

        Assert.Equal(Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero)), options.SinceTime);
        Assert.False(options.HasSinceSeconds);
    }

    [Theory]
    [InlineData("5s", "2026-12-06T10:00:00Z", "error: at most one of `sinceTime` or `sinceSeconds` may be specified")]
    [InlineData("soon", null, "error: invalid argument \"soon\" for \"--since\" flag: time: invalid duration \"soon\"")]
    [InlineData(null, "yesterday", "error: --since-time only accepts times matching RFC3339, eg '2006-01-02T15:04:05Z'")]
    public void SetSince_Refused_WithKubectlsMessage(string? since, string? sinceTime, string message)
    {
        var error = Assert.Throws<CliException>(() => LogsCommand.SetSince(new PodLogOptions(), since, sinceTime));

        Assert.Equal(message, error.Message);
    }
}
