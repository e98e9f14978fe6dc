using System.Text;

namespace HostDaemons.IntegrationTests.Infrastructure;

/// <summary>An hdctl command that runs until stopped (<c>get -w</c>, <c>logs -f</c>), with what it has printed so far.</summary>
public sealed class HdctlStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly LockedWriter _output = new();
    private readonly Task<int> _run;

    public HdctlStream(Hdctl hdctl, string[] args)
    {
        _run = hdctl.RunAsync(args, _output, TextWriter.Null, TextReader.Null, _stop.Token);
    }

    public string Text => _output.Text;

    /// <summary>The printed lines, without the trailing empty one.</summary>
    public string[] Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public Task WaitForAsync(Func<string[], bool> condition, string because) =>
        AsyncTestHelpers.WaitUntilAsync(
            () => Task.FromResult(_run.IsCompleted ? throw new InvalidOperationException($"the command ended: {Text}") : condition(Lines)),
            because, describe: () => Task.FromResult(Text));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.DefaultTimeout();
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _output.Dispose();
    }

    private sealed class LockedWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }
    }
}
