using System.Security.Cryptography;
using Grpc.Core;
using HostDaemons.Agent.Joining;
using HostDaemons.IntegrationTests.Infrastructure;
using HostDaemons.Model.Security;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// <c>--audit-log-path</c>: one audit.k8s.io/v1 line per call, refused calls included, plus a line for each join and
/// certificate, with the caller, the verb and object, the status and the decision; never a secret, a token or a key.
/// </summary>
public sealed class AuditLogTests : IDisposable
{
    private const string SecretValue = "s3cr3t-hunter2-do-not-log";

    private readonly TempDirectory _directory = new("hd-audit");

    [Fact]
    public async Task AuditLog_Calls_Joins_Refusals_WithUserAndDecision_AndNoSecretValues()
    {
        var audit = new AuditLogFile(_directory.Combine("audit.log"));
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"), flags: ["--audit-log-path", audit.Path]);
        var admin = Hdctl.WithKubeconfig(controlPlane.AdminConf);

        await admin.RunWithInputAsync($"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: default\nstringData:\n  password: {SecretValue}\n", "apply", "-f", "-");
        var deleted = await admin.RunAsync("delete", "daemonset", "missing", "-n", "default");
        var tokenText = (await admin.OkAsync("token", "create")).Trim();
        Assert.True(JoinToken.TryParse(tokenText, out var token, out _));
        var authority = (await JoinClient.FetchClusterCaAsync(new Uri(controlPlane.Url), TestContext.Current.CancellationToken)).Single(c => CaPin.Matches(c, token.CaPin));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var joined = await JoinClient.JoinAsync(new Uri(controlPlane.Url), authority, tokenText, NodeKeys.CertificateRequest(key, "web-01"), "web-01", TestContext.Current.CancellationToken);
        var wrongSecret = (token with { Secret = new string('x', JoinToken.SecretLength) }).ToString();
        await Assert.ThrowsAsync<RpcException>(() =>
            JoinClient.JoinAsync(new Uri(controlPlane.Url), authority, wrongSecret, NodeKeys.CertificateRequest(key, "web-02"), "web-02", TestContext.Current.CancellationToken));
        using var anonymous = TestPki.Channel(controlPlane.Url, TestPki.Authorities(controlPlane), client: null);
        await Assert.ThrowsAsync<RpcException>(() => RawGrpc.UnaryAsync(anonymous, "hostdaemons.v1.AdminService", "Version"));

        var applied = await audit.WaitForAsync(l => AuditLogFile.Verb(l) == "create" && (string?)l["objectRef"]?["resource"] == "secrets", "the Secret's apply");
        var notFound = await audit.WaitForAsync(l => AuditLogFile.Verb(l) == "delete" && AuditLogFile.Code(l) == 404, "the delete of a missing DaemonSet");
        var join = await audit.WaitForAsync(l => AuditLogFile.Verb(l) == "join" && AuditLogFile.Code(l) == 200 && l["annotations"]?["hostdaemons.io/certificate-serial"] is not null, "the join");
        var refusedJoin = await audit.WaitForAsync(l => AuditLogFile.Verb(l) == "join" && AuditLogFile.Code(l) == 401 && AuditLogFile.User(l).StartsWith("system:bootstrap:", StringComparison.Ordinal), "the refused join");
        var unauthenticated = await audit.WaitForAsync(l => (string?)l["requestURI"] == "/hostdaemons.v1.AdminService/Version" && AuditLogFile.Code(l) == 401, "the call without credentials");

        Assert.Equal(("admin", "allow", 200), (AuditLogFile.User(applied), AuditLogFile.Annotation(applied, "authorization.k8s.io/decision"), AuditLogFile.Code(applied)));
        Assert.Equal(["system:masters", "system:authenticated"], AuditLogFile.Groups(applied));
        Assert.Equal(("default", "db", "Event", "audit.k8s.io/v1", "Metadata", "ResponseComplete"),
            ((string?)applied["objectRef"]?["namespace"], (string?)applied["objectRef"]?["name"], (string?)applied["kind"], (string?)applied["apiVersion"], (string?)applied["level"], (string?)applied["stage"]));
        Assert.Equal(["127.0.0.1"], applied["sourceIPs"]!.AsArray().Select(ip => (string)ip!));
        Assert.True(Guid.TryParse((string?)applied["auditID"], out _));
        Assert.Equal((1, "daemonsets", "apps"), (deleted.ExitCode, (string?)notFound["objectRef"]?["resource"], (string?)notFound["objectRef"]?["apiGroup"]));
        Assert.Equal(($"system:bootstrap:{token.Id}", token.Id), (AuditLogFile.User(join), AuditLogFile.Annotation(join, "hostdaemons.io/join-token-id")));
        using (var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(joined.CertificatePem))
        {
            Assert.Equal(certificate.SerialNumber, AuditLogFile.Annotation(join, "hostdaemons.io/certificate-serial"));
        }

        Assert.Contains("wrong secret", (string?)refusedJoin["responseStatus"]?["message"], StringComparison.Ordinal);
        Assert.Equal(("system:anonymous", (string?)null), (AuditLogFile.User(unauthenticated), AuditLogFile.Annotation(unauthenticated, "authorization.k8s.io/decision")));
        var text = audit.Text;
        foreach (var secret in new[] { SecretValue, Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(SecretValue)), tokenText, token.Secret, wrongSecret, new string('x', JoinToken.SecretLength) })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AuditLog_PastMaxSize_RotatedIntoNumberedBackup()
    {
        var path = _directory.Combine("audit.log");
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"),
            flags: ["--audit-log-path", path, "--audit-log-maxsize", "1", "--audit-log-maxbackup", "1"]);
        using var administrator = TestPki.IssueAdministrator(controlPlane);
        using var channel = TestPki.Channel(controlPlane.Url, TestPki.Authorities(controlPlane), administrator);

        // Some 600 bytes a line: about 1700 calls fill a megabyte. One connection keeps the calls cheap.
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => RawGrpc.UnaryAsync(channel, "hostdaemons.v1.AdminService", "Version")));
            return File.Exists(path + ".1") && new FileInfo(path).Length > 0;
        }, "the audit log to rotate", TimeSpan.FromSeconds(90));

        Assert.InRange(new FileInfo(path + ".1").Length, 900 * 1024, 1024 * 1024);
        Assert.False(File.Exists(path + ".2"));
    }

    public void Dispose() => _directory.Dispose();
}
