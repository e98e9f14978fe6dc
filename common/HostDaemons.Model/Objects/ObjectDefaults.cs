using HostDaemons.Model.V1;

namespace HostDaemons.Model.Objects;

/// <summary>Kubernetes' API defaults (pkg/apis/apps/v1 and core/v1 defaults.go), applied before validation.</summary>
public static partial class ObjectDefaults
{
    public const string DefaultNamespace = "default";
    public const long DefaultTerminationGracePeriodSeconds = 30;
    public const int DefaultRevisionHistoryLimit = 10;
    public const string DefaultSchedulerName = "default-scheduler";

    public static void Apply(DaemonSet ds)
    {
        ds.ApiVersion = ResourceKinds.DaemonSet.ApiVersion;
        ds.Kind = ResourceKinds.DaemonSet.KindName;
        ds.Metadata ??= new ObjectMeta();
        if (ds.Metadata.Namespace.Length == 0)
        {
            ds.Metadata.Namespace = DefaultNamespace;
        }

        ds.Spec ??= new DaemonSetSpec();
        var spec = ds.Spec;
        spec.UpdateStrategy ??= new DaemonSetUpdateStrategy();
        if (spec.UpdateStrategy.Type.Length == 0)
        {
            spec.UpdateStrategy.Type = "RollingUpdate";
        }

        if (spec.UpdateStrategy.Type == "RollingUpdate")
        {
            spec.UpdateStrategy.RollingUpdate ??= new RollingUpdateDaemonSet();
            spec.UpdateStrategy.RollingUpdate.MaxUnavailable ??= new IntOrString { IntValue = 1 };
            spec.UpdateStrategy.RollingUpdate.MaxSurge ??= new IntOrString { IntValue = 0 };
        }

        if (!spec.HasRevisionHistoryLimit)
        {
            spec.RevisionHistoryLimit = DefaultRevisionHistoryLimit;
        }

        if (spec.Template is not null)
        {
            spec.Template.Spec ??= new PodSpec();
            Apply(spec.Template.Spec);
        }
    }

    public static void Apply(PodSpec spec)
    {
        if (spec.RestartPolicy.Length == 0)
        {
            spec.RestartPolicy = "Always";
        }

        if (!spec.HasTerminationGracePeriodSeconds)
        {
            spec.TerminationGracePeriodSeconds = DefaultTerminationGracePeriodSeconds;
        }

        if (spec.DnsPolicy.Length == 0)
        {
            spec.DnsPolicy = "ClusterFirst";
        }

        if (spec.ServiceAccountName.Length == 0 && spec.ServiceAccount.Length > 0)
        {
            spec.ServiceAccountName = spec.ServiceAccount;
        }

        if (spec.SchedulerName.Length == 0)
        {
            spec.SchedulerName = DefaultSchedulerName;
        }

        foreach (var container in spec.InitContainers.Concat(spec.Containers))
        {
            Apply(container);
        }

        foreach (var volume in spec.Volumes)
        {
            Apply(volume);
        }
    }

    /// <summary>
    /// What Kubernetes defaults on a Pod only (SetDefaults_Pod), not on a DaemonSet's template: a template's pods get it
    /// when they are created.
    /// </summary>
    public static void ApplyPodOnly(PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.HasEnableServiceLinks)
        {
            spec.EnableServiceLinks = true;
        }
    }

    /// <summary>Kubernetes' probe defaults: a 1 s timeout every 10 s, one success to pass, three failures to fail.</summary>
    public static void Apply(Probe probe)
    {
        probe.TimeoutSeconds = probe.TimeoutSeconds == 0 ? 1 : probe.TimeoutSeconds;
        probe.PeriodSeconds = probe.PeriodSeconds == 0 ? 10 : probe.PeriodSeconds;
        probe.SuccessThreshold = probe.SuccessThreshold == 0 ? 1 : probe.SuccessThreshold;
        probe.FailureThreshold = probe.FailureThreshold == 0 ? 3 : probe.FailureThreshold;
        Apply(probe.HttpGet);
    }

    /// <summary>An httpGet action, in a probe or a lifecycle hook: path <c>/</c> over HTTP.</summary>
    private static void Apply(HTTPGetAction? http)
    {
        if (http is not null)
        {
            http.Path = http.Path.Length == 0 ? "/" : http.Path;
            http.Scheme = http.Scheme.Length == 0 ? "HTTP" : http.Scheme;
        }
    }

    /// <summary>
    /// HostDaemons pulls only missing images by default, whatever the tag (Kubernetes defaults <c>:latest</c> to Always),
    /// so hosts that cannot reach a registry still run what they have.
    /// </summary>
    public const string DefaultPullPolicy = "IfNotPresent";
}
