using Google.Protobuf;
using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.Runtime;
using HostDaemons.Agent.Tests.TestServices;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Tests.Reconcile;

/// <summary>env and envFrom from ConfigMaps, Secrets and resources: the kubelet's precedence, expansion and messages.</summary>
public sealed class EnvironmentBuilderTests
{
    private static readonly NodeContext s_node = new(TestPods.Node, "192.0.2.10", "/var/lib/hostdaemons/agent/pods", null);
    private static readonly NodeAllocatable s_allocatable = new(CpuMillis: 2000, MemoryBytes: 4L << 30, EphemeralStorageBytes: 0);

    private static readonly ReferencedObjects s_objects = ReferencedObjects.From(
        [
            ConfigMap("settings", ("LEVEL", "info"), ("MODE", "fast"), ("1bad", "x"), ("has space", "y")),
            ConfigMap("override", ("MODE", "slow"), ("EXTRA", "e")),
        ],
        [new Secret { Metadata = new ObjectMeta { Name = "creds" }, Data = { ["PASSWORD"] = ByteString.CopyFromUtf8("s3cr3t"), ["user"] = ByteString.CopyFromUtf8("alice") } }],
        version: 1);

    [Fact]
    public void Resolve_EnvFromInOrderThenEnv_LaterSourcesAndEnvOverride()
    {
        var container = TestPods.Container();
        container.EnvFrom.Add(new EnvFromSource { ConfigMapRef = new ConfigMapEnvSource { Name = "settings" } });
        container.EnvFrom.Add(new EnvFromSource { ConfigMapRef = new ConfigMapEnvSource { Name = "override" } });
        container.EnvFrom.Add(new EnvFromSource { SecretRef = new SecretEnvSource { Name = "creds" }, Prefix = "DB_" });
        container.Env.Add(new EnvVar { Name = "LEVEL", Value = "debug" });
        container.Env.Add(new EnvVar { Name = "SUMMARY", Value = "$(MODE)/$(DB_user)/$(EXTRA)" });

        var environment = Resolve(container);

        Assert.Equal(["EXTRA=e", "MODE=slow", "DB_PASSWORD=s3cr3t", "DB_user=alice", "LEVEL=debug", "SUMMARY=slow/alice/e"], environment.Variables);
    }

    [Fact]
    public void Resolve_EnvFromInvalidKeys_SkippedWithTheKubeletsEvent()
    {
        var container = TestPods.Container();
        container.EnvFrom.Add(new EnvFromSource { ConfigMapRef = new ConfigMapEnvSource { Name = "settings" } });

        var environment = Resolve(container);

        Assert.Equal(["LEVEL=info", "MODE=fast"], environment.Variables);
        Assert.Equal(
            [$"Keys [1bad, has space] from the EnvFrom configMap {TestPods.Namespace}/settings were skipped since they are considered invalid environment variable names."],
            environment.Warnings);
    }

    [Fact]
    public void Resolve_KeyRefs_ValuesOfTheirObjects()
    {
        var container = TestPods.Container();
        container.Env.Add(ConfigMapKey("LEVEL", "settings", "LEVEL"));
        container.Env.Add(SecretKey("PASSWORD", "creds", "PASSWORD"));
        container.Command.Add("run --level=$(LEVEL)");

        var environment = Resolve(container);

        Assert.Equal(["LEVEL=info", "PASSWORD=s3cr3t"], environment.Variables);
        Assert.Equal(["run --level=info"], environment.Entrypoint);
    }

    public static TheoryData<EnvVar, string> MissingReferences => new()
    {
        { ConfigMapKey("X", "absent", "k"), "configmap \"absent\" not found" },
        { ConfigMapKey("X", "settings", "k"), $"couldn't find key k in ConfigMap {TestPods.Namespace}/settings" },
        { SecretKey("X", "absent", "k"), "secret \"absent\" not found" },
        { SecretKey("X", "creds", "k"), $"couldn't find key k in Secret {TestPods.Namespace}/creds" },
    };

    [Theory]
    [MemberData(nameof(MissingReferences))]
    public void Resolve_MissingObjectOrKey_CreateContainerConfigErrorWithTheKubeletsMessage(EnvVar env, string message)
    {
        var container = TestPods.Container();
        container.Env.Add(env);

        var error = Assert.Throws<ContainerRuntimeException>(() => Resolve(container));

        Assert.Equal("CreateContainerConfigError", error.Reason);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Resolve_OptionalMissingObjectOrKey_LeavesTheVariableOut()
    {
        var container = TestPods.Container();
        container.Env.Add(new EnvVar { Name = "KEEP", Value = "envFrom wins" });
        var optionalKey = ConfigMapKey("KEEP", "settings", "nope");
        optionalKey.ValueFrom.ConfigMapKeyRef.Optional = true;
        container.Env.Add(optionalKey);
        var optionalObject = SecretKey("GONE", "absent", "k");
        optionalObject.ValueFrom.SecretKeyRef.Optional = true;
        container.Env.Add(optionalObject);
        container.EnvFrom.Add(new EnvFromSource { SecretRef = new SecretEnvSource { Name = "absent", Optional = true } });

        Assert.Equal(["KEEP=envFrom wins"], Resolve(container).Variables);
    }

    [Fact]
    public void Resolve_MissingEnvFromObject_FailsUnlessOptional()
    {
        var container = TestPods.Container();
        container.EnvFrom.Add(new EnvFromSource { ConfigMapRef = new ConfigMapEnvSource { Name = "absent" } });

        Assert.Equal("configmap \"absent\" not found", Assert.Throws<ContainerRuntimeException>(() => Resolve(container)).Message);
    }

    [Fact]
    public void Resolve_ObjectsNeverFetched_FailsEvenWhenOptional()
    {
        var container = TestPods.Container();
        var env = ConfigMapKey("X", "settings", "LEVEL");
        env.ValueFrom.ConfigMapKeyRef.Optional = true;
        container.Env.Add(env);

        var error = Assert.Throws<ContainerRuntimeException>(() =>
            EnvironmentBuilder.Resolve(TestPods.Pod(containers: container), container, s_node, ReferencedObjects.Unknown, s_allocatable));

        Assert.Equal("failed to sync configmap cache: timed out waiting for the condition", error.Message);
    }

    [Fact]
    public void Resolve_ResourceFieldRef_ThisContainerByDefaultOrTheNamedOne()
    {
        var main = TestPods.Container();
        main.Resources = new ResourceRequirements { Limits = { ["memory"] = "64Mi" } };
        main.Env.Add(new EnvVar { Name = "MEM_MB", ValueFrom = new EnvVarSource { ResourceFieldRef = new ResourceFieldSelector { Resource = "limits.memory", Divisor = "1Mi" } } });
        main.Env.Add(new EnvVar
        {
            Name = "SIDECAR_CPU",
            ValueFrom = new EnvVarSource { ResourceFieldRef = new ResourceFieldSelector { ContainerName = "sidecar", Resource = "limits.cpu", Divisor = "1m" } },
        });
        var pod = TestPods.Pod(containers: [main, TestPods.Container("sidecar")]);

        Assert.Equal(["MEM_MB=64", "SIDECAR_CPU=2000"], EnvironmentBuilder.Resolve(pod, main, s_node, s_objects, s_allocatable).Variables);
    }

    [Theory]
    [InlineData(false, null, "")]
    [InlineData(true, null, "192.0.2.10")]
    [InlineData(false, "10.231.0.7", "10.231.0.7")]
    public void Resolve_PodIp_TheSandboxsAddressWhenGiven(bool hostNetwork, string? podIp, string expected)
    {
        var container = TestPods.Container();
        container.Env.Add(new EnvVar { Name = "POD_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } });
        var pod = TestPods.Pod(containers: container);
        pod.Spec.HostNetwork = hostNetwork;

        Assert.Equal([$"POD_IP={expected}"], EnvironmentBuilder.Resolve(pod, container, s_node, ReferencedObjects.None, s_allocatable, podIp).Variables);
    }

    [Fact]
    public void Declared_NeverHoldsAValueFromAnObject()
    {
        var container = TestPods.Container();
        container.EnvFrom.Add(new EnvFromSource { SecretRef = new SecretEnvSource { Name = "creds" } });
        container.Env.Add(SecretKey("PASSWORD", "creds", "PASSWORD"));
        container.Args.Add("--password=$(PASSWORD)");

        var declared = EnvironmentBuilder.Declared(TestPods.Pod(containers: container), container, s_node);

        Assert.Equal(["PASSWORD=<secretKeyRef creds PASSWORD>"], declared.Variables);
        Assert.Equal(["--password=<secretKeyRef creds PASSWORD>"], declared.Arguments);
        Assert.DoesNotContain("s3cr3t", string.Join(' ', declared.Variables), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ContainerWithoutObjects_SameAsDeclared()
    {
        var pod = ContainerSpecHashStabilityTests.FullPod(hostNetwork: true);
        var container = pod.Spec.Containers[0];

        var declared = EnvironmentBuilder.Declared(pod, container, s_node);
        var resolved = EnvironmentBuilder.Resolve(pod, container, s_node, ReferencedObjects.None, s_allocatable);

        Assert.Equal(declared.Variables, resolved.Variables);
        Assert.Equal(declared.Entrypoint, resolved.Entrypoint);
        Assert.Equal(declared.Arguments, resolved.Arguments);
    }

    private static ContainerEnvironment Resolve(Container container) =>
        EnvironmentBuilder.Resolve(TestPods.Pod(containers: container), container, s_node, s_objects, s_allocatable);

    private static ConfigMap ConfigMap(string name, params (string Key, string Value)[] data)
    {
        var configMap = new ConfigMap { Metadata = new ObjectMeta { Name = name } };
        foreach (var (key, value) in data)
        {
            configMap.Data[key] = value;
        }

        return configMap;
    }

    private static EnvVar ConfigMapKey(string name, string configMap, string key) =>
        new() { Name = name, ValueFrom = new EnvVarSource { ConfigMapKeyRef = new ConfigMapKeySelector { Name = configMap, Key = key } } };

    private static EnvVar SecretKey(string name, string secret, string key) =>
        new() { Name = name, ValueFrom = new EnvVarSource { SecretKeyRef = new SecretKeySelector { Name = secret, Key = key } } };
}
