using System.Text;
using System.Text.Json.Nodes;
using HostDaemons.ControlPlane.Auditing;
using HostDaemons.ControlPlane.Tests.TestServices;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.ControlPlane.Tests.Auditing;

public sealed class AuditLogTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 14, 43, 9, TimeSpan.Zero).AddTicks(1234567));
    private readonly FakeLogCollector _logs = new();
    private readonly FakeHostApplicationLifetime _lifetime = new();
    private readonly TempDirectory _directory = new("hd-audit");

    [Fact]
    public void Event_AsJson_KubernetesAuditV1FieldNamesAndNoNulls()
    {
        var sink = new MemorySink();
        var log = new AuditLog(enabled: true, _time);
        log.Record(Event("/hostdaemons.v1.AdminService/Get") with
        {
            SourceIps = ["10.0.0.7"],
            ObjectRef = new AuditObjectRef { Resource = "daemonsets", Namespace = "prod", Name = "web", ApiGroup = "apps" },
            Annotations = new Dictionary<string, string> { [AuditInterceptor.DecisionAnnotation] = "allow" },
        });
        Writer(log, () => sink).Drain();

        var line = Assert.Single(sink.Lines);
        var json = JsonNode.Parse(line)!.AsObject();

        Assert.Equal(
            ["kind", "apiVersion", "level", "auditID", "stage", "requestURI", "verb", "user", "sourceIPs", "objectRef", "responseStatus", "requestReceivedTimestamp", "stageTimestamp", "annotations"],
            json.Select(p => p.Key));
        Assert.Equal(("Event", "audit.k8s.io/v1", "Metadata", "ResponseComplete"), ((string)json["kind"]!, (string)json["apiVersion"]!, (string)json["level"]!, (string)json["stage"]!));
        Assert.Equal("""{"username":"viv","groups":["viewers","system:authenticated"]}""", json["user"]!.ToJsonString());
        Assert.Equal("""{"resource":"daemonsets","namespace":"prod","name":"web","apiGroup":"apps"}""", json["objectRef"]!.ToJsonString());
        Assert.Equal("""{"code":200}""", json["responseStatus"]!.ToJsonString());
        Assert.Equal("2026-12-06T14:43:09.123456Z", (string)json["requestReceivedTimestamp"]!);
        Assert.Equal("allow", (string)json["annotations"]![AuditInterceptor.DecisionAnnotation]!);
    }

    [Fact]
    public void Writer_DiskFull_RequestsContinue_FailureLoggedOnceAndInHealth_RecoversAfterRetry()
    {
        var sink = new MemorySink { Failure = new IOException("No space left on device") };
        var log = new AuditLog(enabled: true, _time);
        var writer = Writer(log, () => sink);

        for (var i = 0; i < 3; i++)
        {
            log.Record(Event("/a/b"));
            writer.Drain();
        }

        var failing = (log.Failure, AuditLogHealthCheck.Describe(log), Errors());
        sink.Failure = null;
        _time.Advance(AuditLogWriter.RetryAfter);
        log.Record(Event("/a/b"));
        writer.Drain();

        Assert.Equal("No space left on device", failing.Failure);
        Assert.Equal("audit log not written: No space left on device (3 events dropped)", failing.Item2);
        Assert.Equal(1, failing.Item3);
        Assert.Null(log.Failure);
        Assert.Single(sink.Lines);
        Assert.Contains(_logs.GetSnapshot(), r => r.Message.StartsWith("The audit log is written again (3 events dropped", StringComparison.Ordinal));
    }

    [Fact]
    public void Record_QueueFull_DropsAndCountsWithoutWaiting()
    {
        var log = new AuditLog(enabled: true, _time);

        for (var i = 0; i < AuditLog.Capacity + 5; i++)
        {
            log.Record(Event("/a/b"));
        }

        Assert.Equal(5, log.Dropped);
        Assert.Equal("audit log behind: 5 events dropped", AuditLogHealthCheck.Describe(log));
    }

    [Fact]
    public void RotatingFile_PastMaxSize_NumberedBackupsKeptToMaxBackup()
    {
        var path = _directory.Combine("audit.log");
        using (var file = new RotatingAuditFile(path, maxBytes: 100, maxBackups: 2))
        {
            for (var i = 0; i < 5; i++)
            {
                file.Write(Encoding.UTF8.GetBytes($"{i}{new string('x', 60)}\n"));
            }
        }

        Assert.Equal("4", File.ReadAllText(path)[..1]);
        Assert.Equal("3", File.ReadAllText(path + ".1")[..1]);
        Assert.Equal("2", File.ReadAllText(path + ".2")[..1]);
        Assert.False(File.Exists(path + ".3"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Disabled_RecordsNothing()
    {
        var log = new AuditLog(enabled: false, _time);

        log.Record(Event("/a/b"));
        log.RecordEvent("join", null, new Dictionary<string, string>());

        Assert.False(log.Reader.TryRead(out _));
    }

    private AuditLogWriter Writer(AuditLog log, Func<IAuditSink> sink) =>
        new(log, sink, _time, _lifetime, new FakeLogger<AuditLogWriter>(_logs));

    private int Errors() => _logs.GetSnapshot().Count(r => r.Level == Microsoft.Extensions.Logging.LogLevel.Error);

    private AuditEvent Event(string method) => new()
    {
        AuditId = Guid.NewGuid().ToString(),
        RequestUri = method,
        Verb = "get",
        User = new AuditUser("viv", ["viewers", "system:authenticated"]),
        ResponseStatus = new AuditResponseStatus(200),
        RequestReceivedTimestamp = AuditEvent.MicroTime(_time.GetUtcNow()),
        StageTimestamp = AuditEvent.MicroTime(_time.GetUtcNow()),
    };

    public void Dispose()
    {
        _lifetime.Dispose();
        _directory.Dispose();
    }

    private sealed class MemorySink : IAuditSink
    {
        public Exception? Failure { get; set; }

        public List<string> Lines { get; } = [];

        public void Write(ReadOnlySpan<byte> line)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            Lines.Add(Encoding.UTF8.GetString(line));
        }

        public void Flush()
        {
        }

        public void Dispose()
        {
        }
    }
}
