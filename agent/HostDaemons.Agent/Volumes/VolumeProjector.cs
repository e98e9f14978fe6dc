using HostDaemons.Agent.ControlPlane;
using HostDaemons.Agent.Reconcile;
using HostDaemons.Agent.ServiceAccounts;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Volumes;

/// <summary>
/// The files of a configMap, secret, downwardAPI or projected volume, as the kubelet's volume plugins make them
/// (their MakePayload and CollectData): every key, or the <c>items</c> chosen and renamed, each with its item's mode
/// or the volume's <c>defaultMode</c> (0644 by default); a missing object is an error unless <c>optional</c> (then it adds no
/// files), as is a missing item key; downwardAPI files hold the pod's fields and its containers' resources;
/// serviceAccountToken files hold the pod's token for its audience (<see cref="ServiceAccounts.PodTokens"/>).
/// </summary>
internal static class VolumeProjector
{
    /// <exception cref="VolumeSetUpException">The kubelet's reason the volume cannot be set up.</exception>
    /// <param name="pod">The pod.</param>
    /// <param name="volume">One of its volumes.</param>
    /// <param name="objects">Its ConfigMaps and Secrets.</param>
    /// <param name="allocatable">This node's resources, for resourceFieldRef.</param>
    /// <param name="token">The pod's token for a serviceAccountToken source (throws <see cref="VolumeSetUpException"/> when there is none).</param>
    public static Dictionary<string, FileProjection> Project(Pod pod, Volume volume, ReferencedObjects objects, NodeAllocatable allocatable,
        Func<PodTokenKey, string>? token = null)
    {
        try
        {
            return Files(pod, volume, objects, allocatable, token ?? (_ => throw new VolumeSetUpException("failed to fetch token: no token source")));
        }
        catch (ObjectUnavailableException ex)
        {
            throw new VolumeSetUpException(ex.Message);
        }
    }

    /// <summary>The tokens a projected volume's serviceAccountToken sources need (an unset lifetime is Kubernetes' default, an hour).</summary>
    public static IEnumerable<PodTokenKey> TokenKeys(Volume volume) =>
        (volume.Projected?.Sources ?? []).Select(s => s.ServiceAccountToken).OfType<ServiceAccountTokenProjection>().Select(Key);

    private static PodTokenKey Key(ServiceAccountTokenProjection token) =>
        new(token.Audience, token.HasExpirationSeconds && token.ExpirationSeconds > 0 ? token.ExpirationSeconds : ObjectDefaults.DefaultTokenExpirationSeconds);

    private static Dictionary<string, FileProjection> Files(Pod pod, Volume volume, ReferencedObjects objects, NodeAllocatable allocatable,
        Func<PodTokenKey, string> token)
    {
        var files = new Dictionary<string, FileProjection>(StringComparer.Ordinal);
        if (volume.ConfigMap is { } configMap)
        {
            AddConfigMap(files, objects, configMap.Name, configMap.Items, Mode(configMap.HasDefaultMode, configMap.DefaultMode), configMap.Optional);
        }
        else if (volume.Secret is { } secret)
        {
            AddSecret(files, objects, secret.SecretName, secret.Items, Mode(secret.HasDefaultMode, secret.DefaultMode), secret.Optional);
        }
        else if (volume.DownwardApi is { } downwardApi)
        {
            AddDownwardApi(files, pod, downwardApi.Items, Mode(downwardApi.HasDefaultMode, downwardApi.DefaultMode), allocatable);
        }
        else if (volume.Projected is { } projected)
        {
            var mode = Mode(projected.HasDefaultMode, projected.DefaultMode);
            foreach (var source in projected.Sources)
            {
                if (source.ConfigMap is { } c)
                {
                    AddConfigMap(files, objects, c.Name, c.Items, mode, c.Optional);
                }
                else if (source.Secret is { } s)
                {
                    AddSecret(files, objects, s.Name, s.Items, mode, s.Optional);
                }
                else if (source.DownwardApi is { } d)
                {
                    AddDownwardApi(files, pod, d.Items, mode, allocatable);
                }
                else if (source.ServiceAccountToken is { } t)
                {
                    files[t.Path] = FileProjection.Text(token(Key(t)), mode);
                }
            }
        }

        return files;
    }

    /// <summary>The volume's mode, or Kubernetes' default (0644) where the control plane has not defaulted it (pods stored before it did).</summary>
    private static int Mode(bool set, int mode) => set ? mode : ObjectDefaults.DefaultVolumeFileMode;

    private static void AddConfigMap(Dictionary<string, FileProjection> files, ReferencedObjects objects, string name, IList<KeyToPath> items, int mode, bool optional)
    {
        if (objects.FindConfigMap(name, optional) is { } configMap)
        {
            var data = configMap.Data.Select(e => (e.Key, Bytes: System.Text.Encoding.UTF8.GetBytes(e.Value)))
                .Concat(configMap.BinaryData.Select(e => (e.Key, Bytes: e.Value.ToByteArray())))
                .ToDictionary(e => e.Key, e => e.Bytes, StringComparer.Ordinal);
            AddKeys(files, data, items, mode, optional, key => $"configmap references non-existent config key: {key}");
        }
    }

    private static void AddSecret(Dictionary<string, FileProjection> files, ReferencedObjects objects, string name, IList<KeyToPath> items, int mode, bool optional)
    {
        if (objects.FindSecret(name, optional) is { } secret)
        {
            var data = secret.Data.ToDictionary(e => e.Key, e => e.Value.ToByteArray(), StringComparer.Ordinal);
            AddKeys(files, data, items, mode, optional, key => $"references non-existent secret key: {key}");
        }
    }

    private static void AddKeys(Dictionary<string, FileProjection> files, Dictionary<string, byte[]> data, IList<KeyToPath> items, int mode, bool optional,
        Func<string, string> missingKey)
    {
        if (items.Count == 0)
        {
            foreach (var (key, bytes) in data)
            {
                files[key] = new FileProjection(bytes, mode);
            }

            return;
        }

        foreach (var item in items)
        {
            if (data.TryGetValue(item.Key, out var bytes))
            {
                files[item.Path] = new FileProjection(bytes, item.HasMode ? item.Mode : mode);
            }
            else if (!optional)
            {
                throw new VolumeSetUpException(missingKey(item.Key));
            }
        }
    }

    private static void AddDownwardApi(Dictionary<string, FileProjection> files, Pod pod, IList<DownwardAPIVolumeFile> items, int mode, NodeAllocatable allocatable)
    {
        foreach (var item in items)
        {
            string value;
            try
            {
                value = item.FieldRef is { } field
                    ? PodFieldPaths.VolumeValue(pod, field.FieldPath)
                    : item.ResourceFieldRef is { } resource ? ResourceFieldValues.Value(pod, resource, "", allocatable) : "";
            }
            catch (InvalidOperationException ex)
            {
                throw new VolumeSetUpException(ex.Message);
            }

            files[item.Path] = FileProjection.Text(value, item.HasMode ? item.Mode : mode);
        }
    }
}
