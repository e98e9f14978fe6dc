using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Validation;

public sealed class RoleBindingValidatorTests
{
    private static string Binding(string kind, string roleRef, string subjects = "") =>
        $"apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: b\nroleRef:\n{roleRef}{subjects}";

    private const string ClusterRoleRef = "  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\n";

    [Fact]
    public void ApplyDefaults_NoApiGroups_RbacForTheRoleUsersAndGroups()
    {
        var binding = KindYaml.Defaulted<RoleBinding>(Binding("RoleBinding", "  kind: Role\n  name: r\n",
            "subjects:\n- kind: User\n  name: alice\n- kind: Group\n  name: ops\n- kind: ServiceAccount\n  name: default\n"));

        Assert.Equal("rbac.authorization.k8s.io", binding.RoleRef.ApiGroup);
        Assert.Equal(["rbac.authorization.k8s.io", "rbac.authorization.k8s.io", ""], binding.Subjects.Select(s => s.ApiGroup));
        Assert.Equal("default", binding.Metadata.Namespace);
    }

    [Fact]
    public void Validate_ClusterRoleBindingOfServiceAccount_Valid()
    {
        Assert.Empty(KindYaml.Errors(Binding("ClusterRoleBinding", ClusterRoleRef, "subjects:\n- kind: ServiceAccount\n  name: fluentd\n  namespace: kube-system\n")));
    }

    [Theory]
    [InlineData("RoleBinding", "  apiGroup: example.com\n  kind: Role\n  name: r\n", "",
        "roleRef.apiGroup: Unsupported value: \"example.com\": supported values: \"rbac.authorization.k8s.io\"")]
    [InlineData("RoleBinding", "  kind: Pod\n  name: r\n", "", "roleRef.kind: Unsupported value: \"Pod\": supported values: \"Role\", \"ClusterRole\"")]
    [InlineData("ClusterRoleBinding", "  kind: Role\n  name: r\n", "", "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"")]
    [InlineData("RoleBinding", "  kind: Role\n", "", "roleRef.name: Required value")]
    [InlineData("ClusterRoleBinding", ClusterRoleRef, "subjects:\n- kind: ServiceAccount\n  name: fluentd\n", "subjects[0].namespace: Required value")]
    [InlineData("RoleBinding", ClusterRoleRef, "subjects:\n- kind: Robot\n  name: r2\n",
        "subjects[0].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"")]
    [InlineData("RoleBinding", ClusterRoleRef, "subjects:\n- kind: User\n  apiGroup: example.com\n  name: alice\n",
        "subjects[0].apiGroup: Unsupported value: \"example.com\": supported values: \"rbac.authorization.k8s.io\"")]
    [InlineData("RoleBinding", ClusterRoleRef, "subjects:\n- kind: ServiceAccount\n  apiGroup: rbac.authorization.k8s.io\n  name: sa\n",
        "subjects[0].apiGroup: Unsupported value: \"rbac.authorization.k8s.io\": supported values: \"\"")]
    [InlineData("RoleBinding", ClusterRoleRef, "subjects:\n- kind: Group\n", "subjects[0].name: Required value")]
    public void Validate_BadRoleRefOrSubject_KubernetesMessage(string kind, string roleRef, string subjects, string expected)
    {
        Assert.Equal(expected, Assert.Single(KindYaml.Errors(Binding(kind, roleRef, subjects))));
    }

    [Theory]
    [InlineData("RoleBinding")]
    [InlineData("ClusterRoleBinding")]
    public void ValidateUpdate_OtherRole_CannotChangeRoleRef(string kind)
    {
        var errors = KindYaml.UpdateErrors(Binding(kind, ClusterRoleRef), Binding(kind, ClusterRoleRef.Replace("view", "edit", StringComparison.Ordinal)));

        Assert.Equal(
            "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef",
            Assert.Single(errors));
    }

    [Fact]
    public void ValidateUpdate_OnlySubjectsChange_Allowed()
    {
        Assert.Empty(KindYaml.UpdateErrors(Binding("RoleBinding", ClusterRoleRef), Binding("RoleBinding", ClusterRoleRef, "subjects:\n- kind: User\n  name: bob\n")));
    }
}
