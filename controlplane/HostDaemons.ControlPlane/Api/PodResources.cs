using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// The ConfigMaps and Secrets a pod uses (<see cref="PodReferences"/>) and its service account, read in its namespace,
/// as the kubelet's node authorizer lets a node read them: only for pods bound to it. One that does not exist is left out (the agent then
/// says so on the pod, as the kubelet does). Each goes with its name, uid, resource version and content only:
/// annotations such as the last-applied configuration stay here.
/// </summary>
internal static class PodResources
{
    public static HostDaemons.Api.V1.PodResources For(IObjectStore store, Pod pod, PodKey key)
    {
        var result = new HostDaemons.Api.V1.PodResources { Pod = key };
        var ns = pod.Metadata.Namespace;
        foreach (var name in PodReferences.ConfigMaps(pod.Spec))
        {
            if (store.Get<ConfigMap>(ns, name) is { } configMap)
            {
                var copy = new ConfigMap { ApiVersion = configMap.ApiVersion, Kind = configMap.Kind, Metadata = Identity(configMap.Metadata), Data = { configMap.Data }, BinaryData = { configMap.BinaryData } };
                if (configMap.HasImmutable)
                {
                    copy.Immutable = configMap.Immutable;
                }

                result.ConfigMaps.Add(copy);
            }
        }

        foreach (var name in PodReferences.Secrets(pod.Spec))
        {
            if (store.Get<Secret>(ns, name) is { } secret)
            {
                result.Secrets.Add(new Secret { ApiVersion = secret.ApiVersion, Kind = secret.Kind, Metadata = Identity(secret.Metadata), Type = secret.Type, Data = { secret.Data } });
            }
        }

        var accountName = pod.Spec.ServiceAccountName.Length > 0 ? pod.Spec.ServiceAccountName : Model.Validation.ServiceAccountValidator.DefaultName;
        if (store.Get<ServiceAccount>(ns, accountName) is { } account)
        {
            result.ServiceAccount = new ServiceAccount { ApiVersion = account.ApiVersion, Kind = account.Kind, Metadata = Identity(account.Metadata) };
            if (account.HasAutomountServiceAccountToken)
            {
                result.ServiceAccount.AutomountServiceAccountToken = account.AutomountServiceAccountToken;
            }
        }

        return result;
    }

    /// <summary>The pod is not this node's (or not with this uid): the answer says nothing else about it.</summary>
    public static HostDaemons.Api.V1.PodResources NotFound(PodKey key) => new() { Pod = key, NotFound = true };

    private static ObjectMeta Identity(ObjectMeta meta) => new()
    {
        Name = meta.Name,
        Namespace = meta.Namespace,
        Uid = meta.Uid,
        ResourceVersion = meta.ResourceVersion,
    };
}
