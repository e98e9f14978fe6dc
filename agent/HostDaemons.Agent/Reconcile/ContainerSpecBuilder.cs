using System.Globalization;
using System.Text;
using HostDaemons.Agent.Runtime;
using HostDaemons.Model.Hashing;
using HostDaemons.Model.Quantities;
using HostDaemons.Model.V1;

namespace HostDaemons.Agent.Reconcile;

/// <summary>Maps a pod's containers to Docker: command and args, env, hostPath binds, limits, network and labels.</summary>
internal static class ContainerSpecBuilder
{
    public static DesiredPod Build(Pod pod, string nodeName)
    {
        var owner = pod.Metadata.OwnerReferences.FirstOrDefault(o => o.Controller) is { } controller
            ? $"{controller.Kind}/{controller.Name}"
            : "static";
        var containers = pod.Spec.Containers.Select(c => BuildContainer(pod, c, nodeName, owner)).ToList();
        return new DesiredPod(pod, containers, owner);
    }

    private static DesiredContainer BuildContainer(Pod pod, Container container, string nodeName, string owner)
    {
        var volumes = pod.Spec.Volumes.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var binds = container.VolumeMounts
            .Where(m => volumes.TryGetValue(m.Name, out var v) && v.HostPath is not null)
            .Select(m => new BindMount(volumes[m.Name].HostPath.Path, m.MountPath, m.ReadOnly))
            .ToList();
        var limits = container.Resources?.Limits;
        var requests = container.Resources?.Requests;
        var launch = new ContainerLaunchSpec
        {
            Name = "",
            Image = container.Image,
            Entrypoint = container.Command.Count > 0 ? [.. container.Command] : null,
            Arguments = container.Args.Count > 0 ? [.. container.Args] : null,
            WorkingDirectory = container.WorkingDir.Length > 0 ? container.WorkingDir : null,
            Environment = [.. container.Env.Select(e => $"{e.Name}={e.Value}")],
            Binds = binds,
            MemoryLimitBytes = Parse(limits, "memory", Quantity.ToWhole),
            NanoCpus = Parse(limits, "cpu", v => Quantity.ToMilli(v) * 1_000_000),
            CpuShares = Parse(requests, "cpu", v => Math.Max(2, Quantity.ToMilli(v) * 1024 / 1000)),
            NetworkMode = pod.Spec.HostNetwork ? "host" : "none",
        };
        var hash = Hash(launch);
        var grace = pod.Spec.HasTerminationGracePeriodSeconds ? pod.Spec.TerminationGracePeriodSeconds : 30;
        launch = launch with
        {
            Labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ContainerLabels.Node] = nodeName,
                [ContainerLabels.Namespace] = pod.Metadata.Namespace,
                [ContainerLabels.Pod] = pod.Metadata.Name,
                [ContainerLabels.PodUid] = pod.Metadata.Uid,
                [ContainerLabels.Container] = container.Name,
                [ContainerLabels.Owner] = owner,
                [ContainerLabels.SpecHash] = hash,
                [ContainerLabels.GracePeriod] = grace.ToString(CultureInfo.InvariantCulture),
            },
        };
        return new DesiredContainer(pod, container, launch, hash);
    }

    /// <summary>The Docker container name of an instance: readable in <c>docker ps</c>, unique per pod uid and attempt.</summary>
    public static string ContainerName(DesiredContainer container, int attempt)
    {
        var meta = container.Pod.Metadata;
        return $"hd_{container.Container.Name}_{meta.Name}_{meta.Namespace}_{meta.Uid[..Math.Min(8, meta.Uid.Length)]}_{attempt}";
    }

    /// <summary>A hash of everything that shapes the container, so an unchanged container is adopted, never recreated.</summary>
    private static string Hash(ContainerLaunchSpec spec)
    {
        var text = new StringBuilder();
        text.Append("image=").Append(spec.Image).Append('\n');
        Append(text, "entrypoint", spec.Entrypoint);
        Append(text, "args", spec.Arguments);
        text.Append("workdir=").Append(spec.WorkingDirectory).Append('\n');
        Append(text, "env", spec.Environment);
        Append(text, "binds", spec.Binds.Select(b => $"{b.HostPath}:{b.ContainerPath}:{(b.ReadOnly ? "ro" : "rw")}").ToList());
        text.Append(CultureInfo.InvariantCulture, $"memory={spec.MemoryLimitBytes}\nnanocpus={spec.NanoCpus}\nshares={spec.CpuShares}\nnetwork={spec.NetworkMode}\n");
        return ObjectHash.Compute(text.ToString());
    }

    private static void Append(StringBuilder text, string name, IReadOnlyList<string>? values)
    {
        text.Append(name).Append('=');
        if (values is null)
        {
            text.Append("<unset>");
        }
        else
        {
            foreach (var value in values)
            {
                text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
            }
        }

        text.Append('\n');
    }

    private static long? Parse(IDictionary<string, string>? list, string name, Func<decimal, long> convert) =>
        list is not null && list.TryGetValue(name, out var text) && Quantity.TryParse(text, out var value) ? convert(value) : null;
}
