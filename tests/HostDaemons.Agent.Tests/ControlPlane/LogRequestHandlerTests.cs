using Grpc.Core;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Api.V1;
using HostDaemons.Model.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.Agent.Tests.ControlPlane;

public sealed class LogRequestHandlerTests : IDisposable
{
    private readonly FakeContainerRuntime _runtime = new(new FakeTimeProvider());
    private readonly FakeLogCollector _logs = new();
    private readonly NodeClientFactory _clients;
    private readonly LogRequestHandler _handler;

    public LogRequestHandlerTests()
    {
        var options = Options.Create(new AgentOptions { Server = "http://127.0.0.1:1", NodeName = "node-a" });
        _clients = new NodeClientFactory(options);
        _handler = new LogRequestHandler(_runtime, _clients, options, TimeProvider.System, new FakeLogger<LogRequestHandler>(_logs));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _clients.Dispose();

    private static AgentRequest Request() => new()
    {
        RequestId = "r1",
        Logs = new PodLogsRequest { Pod = new PodKey { Namespace = "default", Name = "web-x1", Uid = "uid-1" }, Options = new PodLogOptions { Container = "web" } },
    };

    [Fact]
    public async Task AnswerAsync_EngineFailsToList_AnswersAtOnceWithUnavailableAndLogsIt()
    {
        _runtime.ListFailure = new HttpRequestException("Connection refused (/var/run/docker.sock)");
        var upload = new RecordingWriter();

        await _handler.AnswerAsync(Request(), upload, Ct).DefaultTimeout();

        var header = Assert.Single(upload.Written).Header;
        Assert.Equal(("r1", nameof(StatusCode.Unavailable)), (header.RequestId, header.ErrorCode));
        Assert.Contains("Connection refused", header.Error, StringComparison.Ordinal);
        Assert.Contains(_logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Exception is HttpRequestException);
    }

    [Fact]
    public async Task AnswerAsync_NoSuchContainer_AnswersInvalidArgument()
    {
        var upload = new RecordingWriter();

        await _handler.AnswerAsync(Request(), upload, Ct).DefaultTimeout();

        var header = Assert.Single(upload.Written).Header;
        Assert.Equal(nameof(StatusCode.InvalidArgument), header.ErrorCode);
        Assert.Contains("is waiting to start", header.Error, StringComparison.Ordinal);
    }

    private sealed class RecordingWriter : IAsyncStreamWriter<LogsUpload>
    {
        public List<LogsUpload> Written { get; } = [];

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(LogsUpload message) => WriteAsync(message, CancellationToken.None);

        public Task WriteAsync(LogsUpload message, CancellationToken cancellationToken)
        {
            Written.Add(message);
            return Task.CompletedTask;
        }
    }
}
