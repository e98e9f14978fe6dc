using HostDaemons.Model.Validation;
using static HostDaemons.Model.Tests.TemplateYaml;

namespace HostDaemons.Model.Tests.Validation;

/// <summary>env valueFrom sources and envFrom, read from a DaemonSet manifest, with Kubernetes' messages.</summary>
public sealed class EnvValidatorTests
{
    private const string Env = ContainerPath + ".env[0].valueFrom";
    private const string EnvFrom = ContainerPath + ".envFrom[0]";
    private const string ByteDivisors = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei";

    public static TheoryData<string, string> BadSources => new()
    {
        { "configMapKeyRef: {key: k}", $"{Env}.configMapKeyRef.name: Invalid value: \"\": {NameValidation.Dns1123SubdomainMessage}" },
        { "configMapKeyRef: {name: Config, key: k}", $"{Env}.configMapKeyRef.name: Invalid value: \"Config\": {NameValidation.Dns1123SubdomainMessage}" },
        { "configMapKeyRef: {name: c}", $"{Env}.configMapKeyRef.key: Required value" },
        { "configMapKeyRef: {name: c, key: a/b}", $"{Env}.configMapKeyRef.key: Invalid value: \"a/b\": {SecretValidator.ConfigKeyMessage}" },
        { "secretKeyRef: {name: s, key: ..k}", $"{Env}.secretKeyRef.key: Invalid value: \"..k\": must not start with '..'" },
        { "secretKeyRef: {key: k}", $"{Env}.secretKeyRef.name: Invalid value: \"\": {NameValidation.Dns1123SubdomainMessage}" },
        {
            "secretKeyRef: {name: s, key: k}\n    fieldRef: {fieldPath: metadata.name}",
            $"{Env}: Invalid value: \"\": may not have more than one field specified at a time"
        },
        { "resourceFieldRef: {}", $"{Env}.resourceFieldRef.resource: Required value" },
        { "resourceFieldRef: {containerName: other, resource: limits.cpu}", $"{Env}.resourceFieldRef.containerName: Not found: \"other\"" },
        {
            "resourceFieldRef: {resource: requests.memory, divisor: 1m}",
            $"{Env}.resourceFieldRef.divisor: Invalid value: \"requests.memory\": only divisor's values {ByteDivisors} are supported with the memory resource"
        },
        {
            "resourceFieldRef: {resource: limits.ephemeral-storage, divisor: 2}",
            $"{Env}.resourceFieldRef.divisor: Invalid value: \"limits.ephemeral-storage\": only divisor's values {ByteDivisors} are supported with the local ephemeral storage resource"
        },
        {
            "resourceFieldRef: {resource: limits.hugepages-2Mi, divisor: 3}",
            $"{Env}.resourceFieldRef.divisor: Invalid value: \"limits.hugepages-2Mi\": only divisor's values {ByteDivisors} are supported with the hugepages resource"
        },
        { "resourceFieldRef: {resource: limits.cpu, divisor: lots}", $"{Env}.resourceFieldRef.divisor: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" },
    };

    [Theory]
    [MemberData(nameof(BadSources))]
    public void Read_BadValueFrom_IsRefusedWithKubernetesMessage(string source, string expected)
    {
        Assert.Equal([expected], Errors($"env:\n- name: VALUE\n  valueFrom:\n    {source}"));
    }

    public static TheoryData<string, string> BadEnvFrom => new()
    {
        { "prefix: X_", $"{EnvFrom}: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`" },
        { "configMapRef: {name: c}\n  secretRef: {name: s}", $"{EnvFrom}: Invalid value: \"\": may not have more than one field specified at a time" },
        { "configMapRef: {name: c}\n  prefix: 1X", $"{EnvFrom}.prefix: Invalid value: \"1X\": {NameValidation.EnvVarNameMessage}" },
        { "configMapRef: {}", $"{EnvFrom}.configMapRef.name: Required value" },
        { "secretRef: {name: Secret}", $"{EnvFrom}.secretRef.name: Invalid value: \"Secret\": {NameValidation.Dns1123SubdomainMessage}" },
    };

    [Theory]
    [MemberData(nameof(BadEnvFrom))]
    public void Read_BadEnvFrom_IsRefusedWithKubernetesMessage(string source, string expected)
    {
        Assert.Equal([expected], Errors($"envFrom:\n- {source}"));
    }

    [Fact]
    public void Read_EverySource_DecodesWithDefaults()
    {
        var container = Spec("""
            env:
            - name: PASSWORD
              valueFrom:
                secretKeyRef: {name: db, key: password, optional: false}
            - name: LEVEL
              valueFrom:
                configMapKeyRef: {name: app, key: log.level, optional: true}
            - name: MEMORY
              valueFrom:
                resourceFieldRef: {resource: limits.memory}
            - name: CPU
              valueFrom:
                resourceFieldRef: {containerName: main, resource: requests.cpu, divisor: 1m}
            envFrom:
            - configMapRef: {name: app}
              prefix: APP_
            - secretRef: {name: db, optional: true}
            """).Containers[0];

        Assert.Equal(("db", "password", false), (container.Env[0].ValueFrom.SecretKeyRef.Name, container.Env[0].ValueFrom.SecretKeyRef.Key, container.Env[0].ValueFrom.SecretKeyRef.Optional));
        Assert.True(container.Env[1].ValueFrom.ConfigMapKeyRef.Optional);
        Assert.Equal(("", "1"), (container.Env[2].ValueFrom.ResourceFieldRef.ContainerName, container.Env[2].ValueFrom.ResourceFieldRef.Divisor));
        Assert.Equal("1m", container.Env[3].ValueFrom.ResourceFieldRef.Divisor);
        Assert.Equal(("app", "APP_"), (container.EnvFrom[0].ConfigMapRef.Name, container.EnvFrom[0].Prefix));
        Assert.True(container.EnvFrom[1].SecretRef.Optional);
    }

    [Fact]
    public void Read_ResourceFieldRefOfAnInitContainer_IsValid()
    {
        Spec(
            "env:\n- name: INIT_CPU\n  valueFrom:\n    resourceFieldRef: {containerName: setup, resource: limits.cpu}",
            "initContainers:\n- name: setup\n  image: busybox");
    }

    [Fact]
    public void Read_BadKey_IsReportedAtItsLine()
    {
        var problems = Problems("""
            env:
            - name: LEVEL
              valueFrom:
                configMapKeyRef:
                  name: app
                  key: log/level
            """);

        Assert.Equal([Invalid(22, 15, $"{Env}.configMapKeyRef.key: Invalid value: \"log/level\": {SecretValidator.ConfigKeyMessage}")], problems);
    }
}
