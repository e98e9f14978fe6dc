using Microsoft.Extensions.Logging;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>Sends the hosts' logs to the running test's output, so a failing test shows what the daemons did.</summary>
public sealed class TestOutputLoggerProvider(string prefix) : ILoggerProvider
{
    private readonly ITestOutputHelper? _output = TestContext.Current.TestOutputHelper;

    public ILogger CreateLogger(string categoryName) => new Logger(_output, $"{prefix} {categoryName[(categoryName.LastIndexOf('.') + 1)..]}");

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper? output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (output is null || !IsEnabled(logLevel))
            {
                return;
            }

            try
            {
                output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {logLevel.ToString()[..4].ToLowerInvariant()} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished; its output is closed.
            }
        }
    }
}
