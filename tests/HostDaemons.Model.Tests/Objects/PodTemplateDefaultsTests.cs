using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Tests.Objects;

/// <summary>Kubernetes' defaults for probes, ports and env field refs.</summary>
public sealed class PodTemplateDefaultsTests
{
    [Fact]
    public void Apply_BareProbe_GetsKubernetesTimings()
    {
        var probe = new Probe { Exec = new ExecAction { Command = { "true" } } };

        ObjectDefaults.Apply(probe);

        Assert.Equal(0, probe.InitialDelaySeconds);
        Assert.Equal(1, probe.TimeoutSeconds);
        Assert.Equal(10, probe.PeriodSeconds);
        Assert.Equal(1, probe.SuccessThreshold);
        Assert.Equal(3, probe.FailureThreshold);
        Assert.False(probe.HasTerminationGracePeriodSeconds);
    }

    [Fact]
    public void Apply_ProbeWithTimings_KeepsThem()
    {
        var probe = new Probe
        {
            TcpSocket = new TCPSocketAction { Port = new IntOrString { IntValue = 53 } },
            InitialDelaySeconds = 7,
            TimeoutSeconds = 2,
            PeriodSeconds = 30,
            SuccessThreshold = 2,
            FailureThreshold = 5,
        };

        ObjectDefaults.Apply(probe);

        Assert.Equal((7, 2, 30, 2, 5), (probe.InitialDelaySeconds, probe.TimeoutSeconds, probe.PeriodSeconds, probe.SuccessThreshold, probe.FailureThreshold));
    }

    [Fact]
    public void Apply_NegativeTimings_AreLeftForValidation()
    {
        var probe = new Probe { Exec = new ExecAction { Command = { "true" } }, TimeoutSeconds = -1, PeriodSeconds = -2 };

        ObjectDefaults.Apply(probe);

        Assert.Equal((-1, -2), (probe.TimeoutSeconds, probe.PeriodSeconds));
    }

    [Fact]
    public void Apply_HttpGetWithoutPathOrScheme_GetsSlashAndHttp()
    {
        var probe = new Probe { HttpGet = new HTTPGetAction { Port = new IntOrString { IntValue = 8080 } } };

        ObjectDefaults.Apply(probe);

        Assert.Equal("/", probe.HttpGet.Path);
        Assert.Equal("HTTP", probe.HttpGet.Scheme);
        Assert.Equal("", probe.HttpGet.Host);
    }

    [Fact]
    public void Apply_HttpGetWithPathAndScheme_KeepsThem()
    {
        var probe = new Probe { HttpGet = new HTTPGetAction { Port = new IntOrString { StringValue = "https" }, Path = "/ready", Scheme = "HTTPS" } };

        ObjectDefaults.Apply(probe);

        Assert.Equal(("/ready", "HTTPS"), (probe.HttpGet.Path, probe.HttpGet.Scheme));
    }

    [Fact]
    public void Apply_PodSpec_DefaultsEveryProbeOfEveryContainer()
    {
        var spec = new PodSpec
        {
            Containers =
            {
                new Container
                {
                    Name = "a",
                    Image = "busybox",
                    ReadinessProbe = new Probe { HttpGet = new HTTPGetAction { Port = new IntOrString { IntValue = 80 } } },
                    LivenessProbe = new Probe { Exec = new ExecAction { Command = { "true" } } },
                },
                new Container
                {
                    Name = "b",
                    Image = "busybox",
                    StartupProbe = new Probe { TcpSocket = new TCPSocketAction { Port = new IntOrString { IntValue = 81 } } },
                },
            },
        };

        ObjectDefaults.Apply(spec);

        Probe[] probes = [spec.Containers[0].ReadinessProbe, spec.Containers[0].LivenessProbe, spec.Containers[1].StartupProbe];
        Assert.All(probes, p => Assert.Equal((1, 10, 1, 3), (p.TimeoutSeconds, p.PeriodSeconds, p.SuccessThreshold, p.FailureThreshold)));
        Assert.Equal("/", spec.Containers[0].ReadinessProbe.HttpGet.Path);
        Assert.Null(spec.Containers[1].ReadinessProbe);
        Assert.Null(spec.Containers[1].LivenessProbe);
    }

    [Fact]
    public void Apply_PortWithoutProtocol_IsTcp()
    {
        var spec = Spec(new Container
        {
            Name = "main",
            Image = "busybox",
            Ports = { new ContainerPort { ContainerPort_ = 80 }, new ContainerPort { ContainerPort_ = 53, Protocol = "UDP" }, new ContainerPort { ContainerPort_ = 81, Protocol = "tcp" } },
        });

        ObjectDefaults.Apply(spec);

        Assert.Equal(["TCP", "UDP", "tcp"], spec.Containers[0].Ports.Select(p => p.Protocol));
    }

    [Fact]
    public void Apply_FieldRefWithoutApiVersion_IsV1()
    {
        var spec = Spec(new Container
        {
            Name = "main",
            Image = "busybox",
            Env =
            {
                new EnvVar { Name = "A", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "metadata.name" } } },
                new EnvVar { Name = "B", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "metadata.uid", ApiVersion = "v2" } } },
                new EnvVar { Name = "C", Value = "plain" },
                new EnvVar { Name = "D", ValueFrom = new EnvVarSource() },
            },
        });

        ObjectDefaults.Apply(spec);

        var env = spec.Containers[0].Env;
        Assert.Equal("v1", env[0].ValueFrom.FieldRef.ApiVersion);
        Assert.Equal("v2", env[1].ValueFrom.FieldRef.ApiVersion);
        Assert.Null(env[2].ValueFrom);
        Assert.Null(env[3].ValueFrom.FieldRef);
    }

    [Fact]
    public void Apply_TemplateFieldsTwice_IsIdempotent()
    {
        var spec = Spec(new Container
        {
            Name = "main",
            Image = "busybox",
            Ports = { new ContainerPort { ContainerPort_ = 80 } },
            Env = { new EnvVar { Name = "A", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "metadata.name" } } } },
            LivenessProbe = new Probe { HttpGet = new HTTPGetAction { Port = new IntOrString { IntValue = 80 } } },
        });
        ObjectDefaults.Apply(spec);
        var once = spec.Clone();

        ObjectDefaults.Apply(spec);

        Assert.Equal(once, spec);
    }

    [Fact]
    public void Read_ManifestWithProbePortAndFieldRef_IsDefaultedBeforeValidation()
    {
        var container = TemplateYaml.Spec("""
            ports:
            - containerPort: 8080
            env:
            - name: NODE
              valueFrom:
                fieldRef: {fieldPath: spec.nodeName}
            readinessProbe:
              httpGet: {port: 8080}
            """).Containers[0];

        Assert.Equal("TCP", container.Ports[0].Protocol);
        Assert.Equal("v1", container.Env[0].ValueFrom.FieldRef.ApiVersion);
        var probe = container.ReadinessProbe;
        Assert.Equal(("/", "HTTP", 1, 10, 1, 3), (probe.HttpGet.Path, probe.HttpGet.Scheme, probe.TimeoutSeconds, probe.PeriodSeconds, probe.SuccessThreshold, probe.FailureThreshold));
    }

    [Fact]
    public void Read_WithoutValidation_LeavesProbeAsWritten()
    {
        var result = Model.Serialization.ManifestReader.Read(TemplateYaml.Text("readinessProbe:\n  httpGet: {port: 8080}"), "x.yaml", validate: false);

        var probe = Assert.IsType<DaemonSet>(Assert.Single(result.Objects).Value).Spec.Template.Spec.Containers[0].ReadinessProbe;
        Assert.Equal(("", "", 0, 0), (probe.HttpGet.Path, probe.HttpGet.Scheme, probe.TimeoutSeconds, probe.FailureThreshold));
    }

    private static PodSpec Spec(Container container) => new() { Containers = { container } };
}
