using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Objects;

public sealed class PodReferencesTests
{
    [Fact]
    public void ConfigMapsAndSecrets_EverySource_AreFoundOnceEachSorted()
    {
        var spec = new PodSpec
        {
            Volumes =
            {
                new Volume { Name = "a", ConfigMap = new ConfigMapVolumeSource { Name = "cm-volume" } },
                new Volume { Name = "b", Secret = new SecretVolumeSource { SecretName = "secret-volume" } },
                new Volume
                {
                    Name = "c",
                    Projected = new ProjectedVolumeSource
                    {
                        Sources =
                        {
                            new VolumeProjection { ConfigMap = new ConfigMapProjection { Name = "cm-projected" } },
                            new VolumeProjection { Secret = new SecretProjection { Name = "secret-projected" } },
                            new VolumeProjection { DownwardApi = new DownwardAPIProjection() },
                        },
                    },
                },
                new Volume { Name = "d", HostPath = new HostPathVolumeSource { Path = "/x" } },
            },
            Containers =
            {
                new Container
                {
                    Name = "main",
                    Env =
                    {
                        new EnvVar { Name = "A", ValueFrom = new EnvVarSource { ConfigMapKeyRef = new ConfigMapKeySelector { Name = "cm-env", Key = "k" } } },
                        new EnvVar { Name = "B", ValueFrom = new EnvVarSource { SecretKeyRef = new SecretKeySelector { Name = "secret-env", Key = "k" } } },
                        new EnvVar { Name = "C", ValueFrom = new EnvVarSource { ConfigMapKeyRef = new ConfigMapKeySelector { Name = "cm-volume", Key = "k" } } },
                    },
                    EnvFrom = { new EnvFromSource { ConfigMapRef = new ConfigMapEnvSource { Name = "cm-envfrom" } } },
                },
            },
            InitContainers =
            {
                new Container { Name = "init", EnvFrom = { new EnvFromSource { SecretRef = new SecretEnvSource { Name = "secret-init" } } } },
            },
            ImagePullSecrets = { new LocalObjectReference { Name = "regcred" } },
        };

        Assert.Equal(["cm-env", "cm-envfrom", "cm-projected", "cm-volume"], PodReferences.ConfigMaps(spec));
        Assert.Equal(["secret-env", "secret-init", "secret-projected", "secret-volume"], PodReferences.Secrets(spec));
        Assert.True(PodReferences.Any(spec));
    }

    [Fact]
    public void Any_PodWithHostPathEnvValuesAndPullSecretsOnly_IsFalse()
    {
        var spec = new PodSpec
        {
            Volumes = { new Volume { Name = "d", EmptyDir = new EmptyDirVolumeSource() } },
            Containers = { new Container { Name = "main", Env = { new EnvVar { Name = "A", Value = "1" } } } },
            ImagePullSecrets = { new LocalObjectReference { Name = "regcred" } },
        };

        Assert.False(PodReferences.Any(spec));
    }
}
