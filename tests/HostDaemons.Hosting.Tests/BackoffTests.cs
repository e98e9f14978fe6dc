namespace HostDaemons.Hosting.Tests;

public sealed class BackoffTests
{
    private static readonly TimeSpan s_initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(1_000, 30)]
    public void Exponential_AfterFailures_DoublesFromTheFirstUpToTheCap(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Backoff.Exponential(failures, s_initial, s_max));

    [Fact]
    public void Jittered_ManyDraws_SpreadOverTheWholeWindowBelowTheBound()
    {
        var draws = Enumerable.Range(0, 2_000).Select(_ => Backoff.Jittered(4, s_initial, s_max)).ToList();

        Assert.All(draws, d => Assert.InRange(d, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(8)));
        // Full jitter, not ±50 %: a fleet that failed together comes back over the whole window.
        Assert.Contains(draws, d => d < TimeSpan.FromSeconds(1));
        Assert.Contains(draws, d => d > TimeSpan.FromSeconds(7));
    }
}
