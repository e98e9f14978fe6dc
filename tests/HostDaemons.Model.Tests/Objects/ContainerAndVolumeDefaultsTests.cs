using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Objects;

/// <summary>Kubernetes' defaults for init containers, lifecycle hooks, downward API selectors and volume modes.</summary>
public sealed class ContainerAndVolumeDefaultsTests
{
    private static Container Bare(string name) => new() { Name = name, Image = "busybox" };

    [Fact]
    public void Apply_PodSpec_DefaultsInitContainersAsAppContainers()
    {
        var init = Bare("setup");
        init.Ports.Add(new ContainerPort { ContainerPort_ = 80 });
        init.Resources = new ResourceRequirements { Limits = { ["memory"] = "64Mi" } };
        var spec = new PodSpec { InitContainers = { init }, Containers = { Bare("main") } };

        ObjectDefaults.Apply(spec);

        foreach (var container in new[] { spec.InitContainers[0], spec.Containers[0] })
        {
            Assert.Equal(("IfNotPresent", "/dev/termination-log", "File"), (container.ImagePullPolicy, container.TerminationMessagePath, container.TerminationMessagePolicy));
        }

        Assert.Equal("TCP", init.Ports[0].Protocol);
        Assert.Equal("64Mi", init.Resources.Requests["memory"]);
    }

    [Fact]
    public void Apply_ContainerWithOwnTerminationMessage_KeepsIt()
    {
        var container = Bare("main");
        container.TerminationMessagePath = "/tmp/status";
        container.TerminationMessagePolicy = "FallbackToLogsOnError";

        ObjectDefaults.Apply(new PodSpec { Containers = { container } });

        Assert.Equal(("/tmp/status", "FallbackToLogsOnError"), (container.TerminationMessagePath, container.TerminationMessagePolicy));
    }

    [Fact]
    public void Apply_LifecycleHttpGet_GetsPathAndSchemeAsProbesDo()
    {
        var container = Bare("main");
        container.Lifecycle = new Lifecycle
        {
            PostStart = new LifecycleHandler { HttpGet = new HTTPGetAction { Port = new IntOrString { IntValue = 80 } } },
            PreStop = new LifecycleHandler { HttpGet = new HTTPGetAction { Port = new IntOrString { IntValue = 80 }, Path = "/stop", Scheme = "HTTPS" } },
        };

        ObjectDefaults.Apply(new PodSpec { Containers = { container } });

        Assert.Equal(("/", "HTTP"), (container.Lifecycle.PostStart.HttpGet.Path, container.Lifecycle.PostStart.HttpGet.Scheme));
        Assert.Equal(("/stop", "HTTPS"), (container.Lifecycle.PreStop.HttpGet.Path, container.Lifecycle.PreStop.HttpGet.Scheme));
    }

    [Fact]
    public void Apply_ResourceFieldRef_DivisorIsOneUnlessSet()
    {
        var container = Bare("main");
        container.Env.Add(new EnvVar { Name = "A", ValueFrom = new EnvVarSource { ResourceFieldRef = new ResourceFieldSelector { Resource = "limits.cpu" } } });
        container.Env.Add(new EnvVar { Name = "B", ValueFrom = new EnvVarSource { ResourceFieldRef = new ResourceFieldSelector { Resource = "limits.cpu", Divisor = "1m" } } });

        ObjectDefaults.Apply(new PodSpec { Containers = { container } });

        Assert.Equal(["1", "1m"], container.Env.Select(e => e.ValueFrom.ResourceFieldRef.Divisor));
    }

    [Fact]
    public void Apply_Volumes_GetMode420UnlessTheySayOtherwise()
    {
        var spec = new PodSpec
        {
            Containers = { Bare("main") },
            Volumes =
            {
                new Volume { Name = "a", ConfigMap = new ConfigMapVolumeSource { Name = "c" } },
                new Volume { Name = "b", Secret = new SecretVolumeSource { SecretName = "s", DefaultMode = 256 } },
                new Volume { Name = "c", DownwardApi = new DownwardAPIVolumeSource { Items = { new DownwardAPIVolumeFile { Path = "n", FieldRef = new ObjectFieldSelector { FieldPath = "metadata.name" } } } } },
                new Volume
                {
                    Name = "d",
                    Projected = new ProjectedVolumeSource
                    {
                        Sources =
                        {
                            new VolumeProjection { DownwardApi = new DownwardAPIProjection { Items = { new DownwardAPIVolumeFile { Path = "u", ResourceFieldRef = new ResourceFieldSelector { ContainerName = "main", Resource = "limits.memory" } } } } },
                            new VolumeProjection { ServiceAccountToken = new ServiceAccountTokenProjection { Path = "token" } },
                        },
                    },
                },
                new Volume { Name = "e", HostPath = new HostPathVolumeSource { Path = "/" } },
            },
        };

        ObjectDefaults.Apply(spec);

        Assert.Equal([420, 256, 420, 420], new[] { spec.Volumes[0].ConfigMap.DefaultMode, spec.Volumes[1].Secret.DefaultMode, spec.Volumes[2].DownwardApi.DefaultMode, spec.Volumes[3].Projected.DefaultMode });
        Assert.Equal("v1", spec.Volumes[2].DownwardApi.Items[0].FieldRef.ApiVersion);
        Assert.Equal("1", spec.Volumes[3].Projected.Sources[0].DownwardApi.Items[0].ResourceFieldRef.Divisor);
        Assert.Equal(3600, spec.Volumes[3].Projected.Sources[1].ServiceAccountToken.ExpirationSeconds);
        Assert.Equal(new HostPathVolumeSource { Path = "/" }, spec.Volumes[4].HostPath);
    }

    [Theory]
    [InlineData("", "default-scheduler")]
    [InlineData("my-scheduler", "my-scheduler")]
    public void Apply_PodSpec_SchedulerNameDefaultsToKubernetesDefault(string written, string expected)
    {
        var spec = new PodSpec { Containers = { Bare("main") }, SchedulerName = written };

        ObjectDefaults.Apply(spec);

        Assert.Equal(expected, spec.SchedulerName);
    }

    [Fact]
    public void ApplyPodOnly_EnableServiceLinks_IsTrueUnlessSet()
    {
        var unset = new PodSpec();
        var off = new PodSpec { EnableServiceLinks = false };

        ObjectDefaults.ApplyPodOnly(unset);
        ObjectDefaults.ApplyPodOnly(off);

        Assert.Equal((true, false), (unset.EnableServiceLinks, off.EnableServiceLinks));
    }

    [Fact]
    public void Apply_PodSpecWithEveryNewField_IsIdempotent()
    {
        var container = Bare("main");
        container.Lifecycle = new Lifecycle { PreStop = new LifecycleHandler { HttpGet = new HTTPGetAction { Port = new IntOrString { IntValue = 80 } } } };
        var spec = new PodSpec
        {
            InitContainers = { Bare("setup") },
            Containers = { container },
            Volumes = { new Volume { Name = "a", ConfigMap = new ConfigMapVolumeSource { Name = "c" } } },
        };
        ObjectDefaults.Apply(spec);
        var once = spec.Clone();

        ObjectDefaults.Apply(spec);

        Assert.Equal(once, spec);
    }
}
