using HostDaemons.Api.V1;
using HostDaemons.ControlPlane.Storage;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.ControlPlane.Api;

/// <summary>
/// A pod's registry credentials, as the kubelet gathers them: every secret its <c>imagePullSecrets</c> names, in the
/// pod's namespace. A missing secret is skipped with a warning (the pull may still work anonymously), so is one whose
/// content cannot be read; a secret of another type adds nothing. Nothing here ever logs a credential.
/// </summary>
internal static partial class PullCredentials
{
    public static GetPullCredentialsResponse For(IObjectStore store, Pod pod, ILogger logger)
    {
        var response = new GetPullCredentialsResponse();
        var ns = pod.Metadata.Namespace;
        foreach (var name in pod.Spec.ImagePullSecrets.Select(r => r.Name).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal))
        {
            var secret = store.Get<Secret>(ns, name);
            if (secret is null)
            {
                Log.SecretMissing(logger, ns, pod.Metadata.Name, name);
                continue;
            }

            IReadOnlyList<DockerConfigEntry> entries;
            try
            {
                entries = DockerConfigJson.Read(secret);
            }
            catch (FormatException ex)
            {
                Log.SecretUnreadable(logger, ns, pod.Metadata.Name, name, ex.Message);
                continue;
            }

            if (entries.Count == 0)
            {
                Log.NotRegistrySecret(logger, ns, pod.Metadata.Name, name, secret.Type);
            }

            response.Credentials.Add(entries.Select(e => new RegistryCredential
            {
                Server = e.Server,
                Username = e.Username,
                Password = e.Password,
                Auth = DockerConfigJson.EncodeAuth(e.Username, e.Password),
                SecretName = name,
            }));
        }

        return response;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Warning,
            Message = "Pod {Namespace}/{Pod} names image pull secret \"{Secret}\", which does not exist; its images are pulled without it")]
        public static partial void SecretMissing(ILogger logger, string @namespace, string pod, string secret);

        [LoggerMessage(EventId = 401, Level = LogLevel.Warning,
            Message = "Image pull secret {Namespace}/{Secret} of pod {Pod} cannot be read ({Reason}); its images are pulled without it")]
        public static partial void SecretUnreadable(ILogger logger, string @namespace, string pod, string secret, string reason);

        [LoggerMessage(EventId = 402, Level = LogLevel.Debug,
            Message = "Image pull secret {Namespace}/{Secret} of pod {Pod} holds no registry credentials (type {Type})")]
        public static partial void NotRegistrySecret(ILogger logger, string @namespace, string pod, string secret, string type);
    }
}
