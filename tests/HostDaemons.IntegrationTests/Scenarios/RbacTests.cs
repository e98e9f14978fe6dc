using HostDaemons.ControlPlane.Security;
using HostDaemons.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HostDaemons.IntegrationTests.Scenarios;

/// <summary>
/// RBAC over TLS with users from the cluster CA (CN = user, O = groups): the default roles decide, denials carry
/// Kubernetes' forbidden message and exit code 1, bindings cannot escalate, seed 002's ServiceAccount binding to
/// <c>view</c> means what it says, and a namespace-bound user reaches no other namespace by any request shape.
/// </summary>
public sealed class RbacTests : IDisposable
{
    private const string Forbidden = "Error from server (Forbidden): ";

    private readonly TempDirectory _directory = new("hd-rbac");

    [Fact]
    public async Task ViewUser_Reads_AndIsRefusedEveryChange_WithKubernetesMessages()
    {
        var audit = new AuditLogFile(_directory.Combine("audit.log"));
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"), flags: ["--audit-log-path", audit.Path]);
        var admin = Hdctl.WithKubeconfig(controlPlane.AdminConf);
        await ApplyAsync(admin, Binding("ClusterRoleBinding", "viewers-view", "", "ClusterRole", "view", "Group", "viewers"));
        await ApplyAsync(admin, TestManifests.Daemon("x"));
        await ApplyAsync(admin, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: hunter2\n");
        // The user as an administrator makes one: hdctl kubeconfig user, kubeadm's words.
        var vivConfig = WriteFile("viv.conf", await admin.OkAsync("kubeconfig", "user", "--client-name", "viv", "--org", "viewers"));
        var viv = Hdctl.WithKubeconfig(vivConfig);

        Assert.NotNull((await viv.RunAsync("get", "ds", "x")).Row("x"));
        Assert.Equal(0, (await viv.RunAsync("describe", "ds", "x")).ExitCode);
        // Authorized: the refusal is about the pod, not about the right to read its log.
        Assert.Equal("Error from server (NotFound): pods \"x-abc\" not found\n", (await viv.RunAsync("logs", "x-abc")).Error);

        await RefusedAsync(viv.RunAsync("get", "secrets", "s", "-o", "yaml"),
            "secrets \"s\" is forbidden: User \"viv\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\"");
        await RefusedAsync(viv.RunWithInputAsync(TestManifests.Daemon("y"), "apply", "-f", "-"),
            "error when creating \"STDIN\": daemonsets.apps is forbidden: User \"viv\" cannot create resource \"daemonsets\" in API group \"apps\" in the namespace \"default\"");
        await RefusedAsync(viv.RunAsync("delete", "ds", "x"),
            "daemonsets.apps \"x\" is forbidden: User \"viv\" cannot delete resource \"daemonsets\" in API group \"apps\" in the namespace \"default\"");
        await RefusedAsync(viv.RunAsync("label", "node", "web-01", "disk=ssd"),
            "nodes \"web-01\" is forbidden: User \"viv\" cannot patch resource \"nodes\" in API group \"\" at the cluster scope");
        await RefusedAsync(viv.RunAsync("cordon", "web-01"),
            "nodes \"web-01\" is forbidden: User \"viv\" cannot patch resource \"nodes\" in API group \"\" at the cluster scope");
        await RefusedAsync(viv.RunAsync("rollout", "undo", "ds/x"),
            "daemonsets.apps \"x\" is forbidden: User \"viv\" cannot update resource \"daemonsets\" in API group \"apps\" in the namespace \"default\"");

        var canGetSecrets = await viv.RunAsync("auth", "can-i", "get", "secrets");
        var canGetLogs = await viv.RunAsync("auth", "can-i", "get", "pods/log");
        var whoami = await viv.RunAsync("auth", "whoami");
        Assert.Equal((1, "no\n"), (canGetSecrets.ExitCode, canGetSecrets.Output));
        Assert.Equal((0, "yes\n"), (canGetLogs.ExitCode, canGetLogs.Output));
        Assert.Equal("ATTRIBUTE   VALUE\nUsername    viv\nGroups      [viewers system:authenticated]\n", whoami.Output);
        Assert.Contains("yes", await admin.OkAsync("auth", "can-i", "delete", "nodes"), StringComparison.Ordinal);

        // Who did what, and what was decided, is in the audit log; the Secret's value and the user's key are not.
        var deleteRefused = await audit.WaitForAsync(l => AuditLogFile.User(l) == "viv" && AuditLogFile.Verb(l) == "delete", "viv's refused delete");
        var getAllowed = await audit.WaitForAsync(l => AuditLogFile.User(l) == "viv" && AuditLogFile.Verb(l) == "get" && (string?)l["objectRef"]?["resource"] == "daemonsets", "viv's get");
        Assert.Equal(("forbid", 403, "x"), (AuditLogFile.Annotation(deleteRefused, "authorization.k8s.io/decision"), AuditLogFile.Code(deleteRefused), (string?)deleteRefused["objectRef"]?["name"]));
        Assert.Equal(["viewers", "system:authenticated"], AuditLogFile.Groups(deleteRefused));
        Assert.Equal(("allow", 200), (AuditLogFile.Annotation(getAllowed, "authorization.k8s.io/decision"), AuditLogFile.Code(getAllowed)));
        var key = File.ReadAllLines(vivConfig).Single(l => l.TrimStart().StartsWith("client-key-data:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        foreach (var secret in new[] { "hunter2", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("hunter2")), key })
        {
            Assert.DoesNotContain(secret, audit.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NamespaceManager_CannotLiftPodSecurity_WithoutHostAccess()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var admin = Hdctl.WithKubeconfig(controlPlane.AdminConf);
        await admin.OkAsync("create", "namespace", "team");
        await admin.OkAsync("label", "namespace", "team", "pod-security.kubernetes.io/enforce=baseline");
        await ApplyAsync(admin, """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: namespace-manager}
            rules:
            - {apiGroups: [""], resources: [namespaces], verbs: [get, list, patch, update]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: host-access}
            rules:
            - {apiGroups: [""], resources: [namespaces/podsecurity], verbs: [update]}
            """);
        await ApplyAsync(admin, Binding("ClusterRoleBinding", "nina-namespaces", "", "ClusterRole", "namespace-manager", "User", "nina"));
        var nina = User(controlPlane, "nina");

        // Labels in general are hers to set; lifting the namespace's Pod Security level is not.
        await nina.OkAsync("label", "namespace", "team", "owner=nina");
        await RefusedAsync(nina.RunAsync("label", "namespace", "team", "pod-security.kubernetes.io/enforce=privileged", "--overwrite"),
            "namespaces \"team\" is forbidden: User \"nina\" cannot update resource \"namespaces/podsecurity\" in API group \"\" in the namespace \"team\"");
        await RefusedAsync(nina.RunAsync("label", "namespace", "team", "pod-security.kubernetes.io/enforce-"),
            "namespaces \"team\" is forbidden: User \"nina\" cannot update resource \"namespaces/podsecurity\" in API group \"\" in the namespace \"team\"");
        Assert.Contains("pod-security.kubernetes.io/enforce=baseline", await admin.OkAsync("get", "namespace", "team", "--show-labels"), StringComparison.Ordinal);

        await ApplyAsync(admin, Binding("ClusterRoleBinding", "nina-host-access", "", "ClusterRole", "host-access", "User", "nina"));
        await nina.OkAsync("label", "namespace", "team", "pod-security.kubernetes.io/enforce=privileged", "--overwrite");
    }

    [Fact]
    public async Task EditUser_WritesOnlyInItsNamespace_AndBindingsCannotEscalate()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var admin = Hdctl.WithKubeconfig(controlPlane.AdminConf);
        await admin.OkAsync("create", "namespace", "team");
        await ApplyAsync(admin, Binding("RoleBinding", "eddie-edit", "team", "ClusterRole", "edit", "User", "eddie"));
        await ApplyAsync(admin, Binding("RoleBinding", "ada-admin", "team", "ClusterRole", "admin", "User", "ada"));
        var eddie = User(controlPlane, "eddie");
        var ada = User(controlPlane, "ada");

        Assert.Equal("daemonset.apps/x created\n", await eddie.OkAsync("apply", "-f", WriteFile("x.yaml", TestManifests.Daemon("x")), "-n", "team"));
        // As kubectl apply, the read of the live object comes first, and is what is refused.
        await RefusedAsync(eddie.RunAsync("apply", "-f", WriteFile("x.yaml", TestManifests.Daemon("x"))),
            $"error when creating \"{_directory.Combine("x.yaml")}\": daemonsets.apps \"x\" is forbidden: User \"eddie\" cannot get resource \"daemonsets\" in API group \"apps\" in the namespace \"default\"");
        await RefusedAsync(eddie.RunWithInputAsync(Binding("ClusterRoleBinding", "eddie-root", "", "ClusterRole", "cluster-admin", "User", "eddie"), "apply", "-f", "-"),
            "error when creating \"STDIN\": clusterrolebindings.rbac.authorization.k8s.io \"eddie-root\" is forbidden: User \"eddie\" cannot get resource \"clusterrolebindings\" in API group \"rbac.authorization.k8s.io\" at the cluster scope");

        await RefusedAsync(eddie.RunAsync("label", "namespace", "team", "pod-security.kubernetes.io/enforce=privileged"),
            "namespaces \"team\" is forbidden: User \"eddie\" cannot patch resource \"namespaces\" in API group \"\" at the cluster scope");

        // ada administers team: she may bind what she holds there, not cluster-admin.
        Assert.Equal("rolebinding.rbac.authorization.k8s.io/viewers created\n",
            await ada.OkAsync("apply", "-f", WriteFile("viewers.yaml", Binding("RoleBinding", "viewers", "team", "ClusterRole", "view", "Group", "viewers"))));
        var escalation = await ada.RunAsync("apply", "-f", WriteFile("root.yaml", Binding("RoleBinding", "ada-root", "team", "ClusterRole", "cluster-admin", "User", "ada")));
        Assert.Equal(1, escalation.ExitCode);
        Assert.StartsWith(
            Forbidden + "error when creating \"" + _directory.Combine("root.yaml") + "\": rolebindings.rbac.authorization.k8s.io \"ada-root\" is forbidden: "
            + "user \"ada\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}\n",
            escalation.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await admin.RunAsync("get", "rolebinding", "ada-root", "-n", "team")).ExitCode);
    }

    [Fact]
    public async Task FluentdSeedBinding_GrantsView_ToItsServiceAccount()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var admin = Hdctl.WithKubeconfig(controlPlane.AdminConf);
        var seed = await admin.RunAsync("apply", "-f", RepositoryFiles.Path("examples", "fluentd", "fluentd-rbac.yaml"));
        Assert.True(seed.ExitCode == 0, seed.Error);
        Assert.Contains("Warning: rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding is deprecated in v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 ClusterRoleBinding",
            seed.Error, StringComparison.Ordinal);
        const string Account = "system:serviceaccount:kube-system:fluentd-account";

        var listPods = await admin.RunAsync("auth", "can-i", "list", "pods", "--as", Account);
        var createDaemonSets = await admin.RunAsync("auth", "can-i", "create", "daemonsets", "--as", Account);
        var readSecrets = await admin.RunAsync("auth", "can-i", "get", "secrets", "-n", "kube-system", "--as", Account);
        var asAccount = await admin.RunAsync("get", "ds", "-A", "--as", Account);
        var list = await admin.RunAsync("auth", "can-i", "--list", "--as", Account);

        Assert.Equal((0, "yes\n"), (listPods.ExitCode, listPods.Output));
        Assert.Equal((1, "no\n"), (createDaemonSets.ExitCode, createDaemonSets.Output));
        Assert.Equal((1, "no\n"), (readSecrets.ExitCode, readSecrets.Output));
        Assert.True(asAccount.ExitCode == 0, asAccount.Error);
        Assert.StartsWith("Resources", list.Output, StringComparison.Ordinal);
        Assert.Equal(["daemonsets.apps", "[]", "[]", "[get list watch]"], list.Row("daemonsets.apps") ?? []);

        // Impersonation needs the impersonate verb: a viewer may not act as the account.
        await ApplyAsync(admin, Binding("ClusterRoleBinding", "viewers-view", "", "ClusterRole", "view", "Group", "viewers"));
        await RefusedAsync(User(controlPlane, "viv", "viewers").RunAsync("get", "pods", "--as", Account),
            "serviceaccounts \"fluentd-account\" is forbidden: User \"viv\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"kube-system\"");
    }

    [Fact]
    public async Task TeamUser_CannotDeleteAnotherNamespacesObject_ByAnyRequestShape()
    {
        await using var controlPlane = await TestControlPlane.StartTlsAsync(_directory.Combine("cp"));
        var admin = Hdctl.WithKubeconfig(controlPlane.AdminConf);
        await admin.OkAsync("create", "namespace", "team");
        await ApplyAsync(admin, TestManifests.Daemon("x"));
        await ApplyAsync(admin, Binding("RoleBinding", "tina-edit", "team", "ClusterRole", "edit", "User", "tina"));
        var tina = User(controlPlane, "tina");
        var inTeam = WriteFile("in-team.yaml", TestManifests.Daemon("x").Replace("  name: x\n", "  name: x\n  namespace: team\n", StringComparison.Ordinal));
        var inDefault = WriteFile("in-default.yaml", TestManifests.Daemon("x").Replace("  name: x\n", "  name: x\n  namespace: default\n", StringComparison.Ordinal));
        var unnamespaced = WriteFile("unnamespaced.yaml", TestManifests.Daemon("x"));

        await RefusedAsync(tina.RunAsync("delete", "ds", "x"),
            "daemonsets.apps \"x\" is forbidden: User \"tina\" cannot delete resource \"daemonsets\" in API group \"apps\" in the namespace \"default\"");
        await RefusedAsync(tina.RunAsync("delete", "-f", unnamespaced),
            "daemonsets.apps \"x\" is forbidden: User \"tina\" cannot delete resource \"daemonsets\" in API group \"apps\" in the namespace \"default\"");
        var shapes = new[]
        {
            await tina.RunAsync("delete", "ds/default/x", "-n", "team"),
            await tina.RunAsync("delete", "ds", "default/x", "-n", "team"),
            await tina.RunAsync("delete", "-f", inTeam),
            await tina.RunAsync("delete", "-f", inDefault, "-n", "team"),
            await tina.RunAsync("delete", "ds", "--all", "-n", "default"),
            await tina.RunAsync("delete", "ds", "--all", "-A"),
        };

        Assert.All(shapes, s => Assert.True(s.ExitCode == 1, $"hdctl {s.Command}: {s.Output}"));
        Assert.NotNull((await admin.RunAsync("get", "ds", "x", "-n", "default")).Row("x"));
    }

    public void Dispose() => _directory.Dispose();

    private static async Task RefusedAsync(Task<HdctlResult> run, string message)
    {
        var result = await run;
        Assert.Equal((1, Forbidden + message + "\n"), (result.ExitCode, result.Error));
    }

    private static async Task ApplyAsync(Hdctl hdctl, string manifest)
    {
        var result = await hdctl.RunWithInputAsync(manifest, "apply", "-f", "-");
        Assert.True(result.ExitCode == 0, result.Error);
    }

    /// <summary>hdctl as a user with a client certificate from the cluster CA: CN=<paramref name="user"/>, O=each group.</summary>
    private static Hdctl User(TestControlPlane controlPlane, string user, params string[] groups)
    {
        var authority = controlPlane.Services.GetRequiredService<ClusterPki>().Authority;
        using var certificate = authority.IssueClientWithNewKey(new ClientSubject(user, groups), DateTimeOffset.UtcNow, TimeSpan.FromHours(1));
        return Hdctl.WithKubeconfig(TestPki.WriteKubeconfig(controlPlane, $"{user}.conf", certificate));
    }

    private string WriteFile(string name, string text)
    {
        var path = _directory.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Binding(string kind, string name, string @namespace, string roleKind, string role, string subjectKind, string subject) => $"""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: {kind}
        metadata:
          name: {name}
        {(@namespace.Length > 0 ? $"  namespace: {@namespace}\n" : "")}roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: {roleKind}
          name: {role}
        subjects:
        - kind: {subjectKind}
          name: {subject}
        {(subjectKind == "ServiceAccount" ? "" : "  apiGroup: rbac.authorization.k8s.io")}
        """;
}
