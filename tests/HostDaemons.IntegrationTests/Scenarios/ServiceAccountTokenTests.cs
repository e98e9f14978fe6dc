using System.Buffers.Text;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HostDaemons.IntegrationTests.Infrastructure;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// Service account tokens through the real kubectl: a TokenRequest's JWT authenticates as the service account, RBAC
/// decides what it may do, it dies with its service account, survives a control plane restart (the signing key is
/// kept), and verifies against the issuer's published keys.
/// </summary>
public sealed class ServiceAccountTokenTests : IDisposable
{
    private readonly TempDirectory _directory = new("hd-satokens");

    [Fact]
    public async Task A_token_is_its_service_account_authorized_by_RBAC_and_dies_with_it()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var admin = Hdctl.WithKubeconfig(controlPlane.AdminConf);
        var token = await CreateTokenAsync(controlPlane, "default", """{"spec":{"expirationSeconds":3600}}""");

        var refused = await TokenKubectlAsync(controlPlane, token, "get", "pods");
        Assert.Equal((1, "Error from server (Forbidden): pods is forbidden: User \"system:serviceaccount:default:default\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"\n"),
            (refused.ExitCode, refused.Error));

        var bound = await admin.RunWithInputAsync("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: default-view
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: ClusterRole
              name: view
            subjects:
            - kind: ServiceAccount
              name: default
              namespace: default
            """, "apply", "-f", "-");
        Assert.True(bound.ExitCode == 0, bound.Error);
        var pods = await TokenKubectlAsync(controlPlane, token, "get", "pods");
        Assert.Equal((0, "No resources found in default namespace.\n"), (pods.ExitCode, pods.Error));
        var secrets = await TokenKubectlAsync(controlPlane, token, "get", "secrets");
        Assert.Equal((1, "Error from server (Forbidden): secrets is forbidden: User \"system:serviceaccount:default:default\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\"\n"),
            (secrets.ExitCode, secrets.Error));

        // The namespace's controller makes a new default account at once: another uid, so the token stays dead.
        Assert.Equal(0, (await admin.RunAsync("delete", "serviceaccount", "default")).ExitCode);
        var unauthorized = await TokenKubectlAsync(controlPlane, token, "get", "pods");
        Assert.Equal((1, "error: You must be logged in to the server (Unauthorized)\n"), (unauthorized.ExitCode, unauthorized.Error));
    }

    [Fact]
    public async Task Tokens_survive_a_restart_and_verify_against_the_published_keys()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var token = await CreateTokenAsync(controlPlane, "default", """{"spec":{"audiences":["https://kubernetes.default.svc.cluster.local","vault"]}}""");
        var tooShort = await KubectlAsync(controlPlane.AdminConf, WriteBody("""{"spec":{"expirationSeconds":60}}"""), "create", "--raw", "/api/v1/namespaces/default/serviceaccounts/default/token", "-f", "BODY");
        Assert.Equal((1, "The TokenRequest \"default\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes\n"),
            (tooShort.ExitCode, tooShort.Error));

        await controlPlane.StopAsync();
        await controlPlane.StartAsync();

        // Only service accounts may read the issuer's documents, as Kubernetes' default roles have it.
        var anonymous = await KubectlAsync("/dev/null", null, "--server", controlPlane.Url, "--certificate-authority", Path.Combine(controlPlane.DataDir, "pki", "ca.crt"), "get", "--raw", "/openid/v1/jwks");
        Assert.Equal(1, anonymous.ExitCode);
        var configuration = JsonNode.Parse((await TokenKubectlAsync(controlPlane, token, "get", "--raw", "/.well-known/openid-configuration")).Output)!;
        Assert.Equal("https://kubernetes.default.svc.cluster.local", (string?)configuration["issuer"]);
        Assert.Equal($"{controlPlane.Url}/openid/v1/jwks", (string?)configuration["jwks_uri"]);
        Assert.Equal("ES256", (string?)configuration["id_token_signing_alg_values_supported"]![0]);
        var jwks = await TokenKubectlAsync(controlPlane, token, "get", "--raw", "/openid/v1/jwks");
        Assert.True(jwks.ExitCode == 0, jwks.Error);
        var key = JsonNode.Parse(jwks.Output)!["keys"]![0]!;

        var parts = token.Split('.');
        Assert.Equal((string?)key["kid"], (string?)JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!["kid"]);
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars((string)key["x"]!), Y = Base64Url.DecodeFromChars((string)key["y"]!) },
        });
        Assert.True(ecdsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256));
        var whoami = await TokenKubectlAsync(controlPlane, token, "get", "--raw", "/api/v1/namespaces/default/pods");
        Assert.Equal(1, whoami.ExitCode);
        Assert.Contains("system:serviceaccount:default:default", whoami.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>A TokenRequest posted as JSON with the administrator's kubeconfig; its <c>status.token</c>.</summary>
    private async Task<string> CreateTokenAsync(TestControlPlane controlPlane, string account, string body)
    {
        var result = await KubectlAsync(controlPlane.AdminConf, WriteBody(body), "create", "--raw", $"/api/v1/namespaces/default/serviceaccounts/{account}/token", "-f", "BODY");
        Assert.True(result.ExitCode == 0, result.Error);
        var answer = JsonNode.Parse(result.Output)!;
        Assert.Equal("TokenRequest", (string?)answer["kind"]);
        Assert.NotNull((string?)answer["status"]?["expirationTimestamp"]);
        return (string)answer["status"]!["token"]!;
    }

    /// <summary>kubectl with nothing but the token and the CA: no client certificate to authenticate with instead.</summary>
    private Task<HdctlResult> TokenKubectlAsync(TestControlPlane controlPlane, string token, params string[] args) =>
        KubectlAsync("/dev/null", null, ["--server", controlPlane.Url, "--certificate-authority", Path.Combine(controlPlane.DataDir, "pki", "ca.crt"), "--token", token, .. args]);

    private string WriteBody(string body)
    {
        var path = _directory.Combine($"body-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, body);
        return path;
    }

    private async Task<HdctlResult> KubectlAsync(string kubeconfig, string? bodyFile, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg == "BODY" && bodyFile is not null ? bodyFile : arg);
        }

        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["KUBECACHEDIR"] = _directory.Combine("kubecache");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).DefaultTimeout();
        return new HdctlResult(process.ExitCode, await output, await error, "kubectl " + string.Join(' ', args));
    }
}
