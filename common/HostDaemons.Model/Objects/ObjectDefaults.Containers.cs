using HostDaemons.Model.Quantities;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Objects;

/// <summary>Kubernetes' defaults for a container (regular or init) and for the volumes of a pod.</summary>
public static partial class ObjectDefaults
{
    public const string DefaultTerminationMessagePath = "/dev/termination-log";
    public const string DefaultTerminationMessagePolicy = "File";

    /// <summary>0644: what configMap, secret, downwardAPI and projected files get unless the volume says otherwise.</summary>
    public const int DefaultVolumeFileMode = 420;

    /// <summary>The token lifetime Kubernetes gives a serviceAccountToken projection: one hour.</summary>
    public const long DefaultTokenExpirationSeconds = 3600;

    private static void Apply(Container container)
    {
        if (container.ImagePullPolicy.Length == 0)
        {
            container.ImagePullPolicy = DefaultPullPolicy;
        }

        if (container.TerminationMessagePath.Length == 0)
        {
            container.TerminationMessagePath = DefaultTerminationMessagePath;
        }

        if (container.TerminationMessagePolicy.Length == 0)
        {
            container.TerminationMessagePolicy = DefaultTerminationMessagePolicy;
        }

        foreach (var port in container.Ports.Where(p => p.Protocol.Length == 0))
        {
            port.Protocol = "TCP";
        }

        foreach (var source in container.Env.Select(e => e.ValueFrom).OfType<EnvVarSource>())
        {
            Apply(source.FieldRef);
            Apply(source.ResourceFieldRef);
        }

        foreach (var probe in new[] { container.ReadinessProbe, container.LivenessProbe, container.StartupProbe }.OfType<Probe>())
        {
            Apply(probe);
        }

        foreach (var hook in new[] { container.Lifecycle?.PostStart, container.Lifecycle?.PreStop }.OfType<LifecycleHandler>())
        {
            Apply(hook.HttpGet);
        }

        // A request left out defaults to its limit.
        if (container.Resources is { Limits.Count: > 0 } resources)
        {
            foreach (var (name, limit) in resources.Limits.Where(l => Quantity.TryParse(l.Value, out _)))
            {
                resources.Requests.TryAdd(name, limit);
            }
        }
    }

    private static void Apply(Volume volume)
    {
        if (volume.ConfigMap is { HasDefaultMode: false } configMap)
        {
            configMap.DefaultMode = DefaultVolumeFileMode;
        }

        if (volume.Secret is { HasDefaultMode: false } secret)
        {
            secret.DefaultMode = DefaultVolumeFileMode;
        }

        if (volume.DownwardApi is { } downwardApi)
        {
            if (!downwardApi.HasDefaultMode)
            {
                downwardApi.DefaultMode = DefaultVolumeFileMode;
            }

            Apply(downwardApi.Items);
        }

        if (volume.Projected is { } projected)
        {
            if (!projected.HasDefaultMode)
            {
                projected.DefaultMode = DefaultVolumeFileMode;
            }

            foreach (var source in projected.Sources)
            {
                Apply(source.DownwardApi?.Items ?? []);
                if (source.ServiceAccountToken is { HasExpirationSeconds: false } token)
                {
                    token.ExpirationSeconds = DefaultTokenExpirationSeconds;
                }
            }
        }
    }

    private static void Apply(IEnumerable<DownwardAPIVolumeFile> items)
    {
        foreach (var item in items)
        {
            Apply(item.FieldRef);
            Apply(item.ResourceFieldRef);
        }
    }

    private static void Apply(ObjectFieldSelector? field)
    {
        if (field is { ApiVersion.Length: 0 })
        {
            field.ApiVersion = "v1";
        }
    }

    /// <summary>
    /// Kubernetes leaves an unset divisor at zero, which the kubelet reads as 1; HostDaemons writes the 1 it means.
    /// </summary>
    private static void Apply(ResourceFieldSelector? resource)
    {
        if (resource is { Divisor.Length: 0 })
        {
            resource.Divisor = "1";
        }
    }
}
