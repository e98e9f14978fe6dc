namespace HostDaemons.Model.Tests.Validation;

public sealed class ServiceAccountValidatorTests
{
    [Fact]
    public void Validate_WithSecretsAndPullSecrets_Valid()
    {
        const string yaml = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: fluentd\n  namespace: kube-system\nautomountServiceAccountToken: false\n"
            + "secrets:\n- name: token\nimagePullSecrets:\n- name: regcred\n";

        Assert.Empty(KindYaml.Errors(yaml));
    }

    [Fact]
    public void Validate_NameNotASubdomain_Invalid()
    {
        var error = Assert.Single(KindYaml.Errors("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: Fluentd\n"));

        Assert.StartsWith("metadata.name: Invalid value: \"Fluentd\": a lowercase RFC 1123 subdomain", error, StringComparison.Ordinal);
    }
}
