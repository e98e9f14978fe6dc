using System.Globalization;
using HostDaemons.Agent.Runtime;

namespace HostDaemons.Agent.Reconcile;

/// <summary>
/// The kubelet's runAsNonRoot check, before a container is created: a container that would run as root (its
/// runAsUser is 0, or it sets none and its image's user is root or unset) is refused with the kubelet's
/// CreateContainerConfigError; an image user given by name cannot be verified and is refused too.
/// </summary>
internal static class RunAsNonRoot
{
    public static async Task VerifyAsync(DesiredContainer container, IContainerRuntime runtime, CancellationToken cancellationToken)
    {
        var pod = container.Pod;
        var security = container.Container.SecurityContext;
        var podSecurity = pod.Spec.SecurityContext;
        var nonRoot = security?.HasRunAsNonRoot == true ? security.RunAsNonRoot : podSecurity?.HasRunAsNonRoot == true && podSecurity.RunAsNonRoot;
        if (!nonRoot)
        {
            return;
        }

        var where = $"(pod: \"{pod.Metadata.Name}_{pod.Metadata.Namespace}({pod.Metadata.Uid})\", container: {container.Container.Name})";
        if (ContainerSecurity.RunAsUser(pod, container.Container) is { } uid)
        {
            if (uid == 0)
            {
                throw new ContainerRuntimeException("CreateContainerConfigError", $"container's runAsUser breaks non-root policy {where}");
            }

            return;
        }

        var imageUser = (await runtime.GetImageUserAsync(container.Launch.Image, cancellationToken).ConfigureAwait(false)).Split(':')[0];
        if (imageUser.Length == 0 || (long.TryParse(imageUser, NumberStyles.None, CultureInfo.InvariantCulture, out var imageUid) && imageUid == 0))
        {
            throw new ContainerRuntimeException("CreateContainerConfigError", $"container has runAsNonRoot and image will run as root {where}");
        }

        if (!long.TryParse(imageUser, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new ContainerRuntimeException("CreateContainerConfigError", $"container has runAsNonRoot and image has non-numeric user ({imageUser}), cannot verify user is non-root {where}");
        }
    }
}
